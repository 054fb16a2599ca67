package io.postbackrelay.dispatcher.deadletter;

import java.time.Clock;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.dispatcher.delivery.DispatchMetrics;
import io.postbackrelay.dispatcher.delivery.LastAttempt;
import io.postbackrelay.dispatcher.partner.Partner;
import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The end of the retry chain: stores each dead-lettered delivery in {@code dead_letters}
 * (status OPEN), with the last attempt's error, so an admin can replay or discard it. A
 * failure to store it (MongoDB down) sends the record round the dead-letter topic again
 * rather than losing it.
 */
@Component("deadLetterHandler")
class DeadLetterHandler {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterHandler.class);

	private final MongoTemplate mongo;

	private final PartnerDirectory partners;

	private final DispatchMetrics metrics;

	private final Clock clock;

	DeadLetterHandler(MongoTemplate mongo, PartnerDirectory partners, DispatchMetrics metrics, Clock clock) {
		this.mongo = mongo;
		this.partners = partners;
		this.metrics = metrics;
		this.clock = clock;
	}

	void handle(ConsumerRecord<String, DeliveryTask> record) {
		DeliveryTask task = record.value();
		Document lastAttempt = lastAttempt(record, task);
		String partnerName = this.partners.find(task.partnerId()).map(Partner::name).orElse(null);
		Update update = new Update().set("task", task)
			.set("partnerId", task.partnerId())
			.set("partnerName", partnerName)
			.set("postbackId", task.postbackId())
			.set("lastError", (lastAttempt != null) ? lastAttempt.getString("error") : null)
			.set("lastHttpStatus", (lastAttempt != null) ? lastAttempt.get("httpStatus") : null)
			.set("attempts", (lastAttempt != null) ? lastAttempt.get("attempt") : null)
			.set("deadAt", this.clock.instant())
			.set("status", "OPEN")
			.setOnInsert("replayCount", 0);
		this.mongo.upsert(Query.query(Criteria.where("_id").is(task.deliveryId())), update,
				CollectionNames.DEAD_LETTERS);
		this.metrics.deadLetter(this.metrics.partnerTag(partnerName));
		logger.info("Delivery {} of postback {} to partner {} is a dead letter: {}", task.deliveryId(),
				task.postbackId(), task.partnerId(), (lastAttempt != null) ? lastAttempt.getString("error") : "");
	}

	/**
	 * The log of the attempt the record names, read by its id; else the delivery's newest
	 * log (a record handed on before the header existed, or an attempt that left no log
	 * of its own, such as the retry of an attempt handed on in flight that found it had
	 * failed for good).
	 */
	private Document lastAttempt(ConsumerRecord<String, DeliveryTask> record, DeliveryTask task) {
		ObjectId named = LastAttempt.of(record);
		Document attempt = (named != null)
				? this.mongo.findById(named, Document.class, CollectionNames.PARTNER_POSTBACK_LOGS) : null;
		if (attempt != null) {
			return attempt;
		}
		return this.mongo.findOne(Query.query(Criteria.where("deliveryId").is(task.deliveryId()))
			.with(Sort.by(Sort.Direction.DESC, "timestamp"))
			.limit(1), Document.class, CollectionNames.PARTNER_POSTBACK_LOGS);
	}

}
