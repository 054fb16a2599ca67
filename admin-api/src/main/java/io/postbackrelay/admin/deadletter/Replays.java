package io.postbackrelay.admin.deadletter;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.admin.system.AdminProperties;
import io.postbackrelay.admin.system.Conflict;
import io.postbackrelay.admin.system.NotFound;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryTask;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Replays and discards dead letters. Claiming a letter is one atomic OPEN to REPLAYED
 * change, so two admins replaying it at once send it once; the task goes back to
 * {@code deliveries} with the same delivery id, marked as a manual attempt. If Kafka does
 * not take it, the claim is undone.
 */
@Component
class Replays {

	private static final Logger logger = LoggerFactory.getLogger(Replays.class);

	private final MongoTemplate mongo;

	private final KafkaTemplate<String, Object> kafka;

	private final String deliveries;

	private final Clock clock;

	Replays(MongoTemplate mongo, KafkaTemplate<String, Object> kafka, AdminProperties properties, Clock clock) {
		this.mongo = mongo;
		this.kafka = kafka;
		this.deliveries = properties.topics().deliveries();
		this.clock = clock;
	}

	Document replay(String id) {
		Document letter = claim(id, "REPLAYED");
		send(id, letter);
		return letter;
	}

	boolean replayIfOpen(String id) {
		try {
			replay(id);
			return true;
		}
		catch (Conflict | NotFound ex) {
			return false;
		}
	}

	Document discard(String id) {
		return claim(id, "DISCARDED");
	}

	private Document claim(String id, String status) {
		Update update = new Update().set("status", status);
		if ("REPLAYED".equals(status)) {
			update.inc("replayCount", 1)
				.set("lastReplayedAt", this.clock.instant())
				.push("replayedAt", this.clock.instant());
		}
		else {
			update.set("discardedAt", this.clock.instant());
		}
		Document claimed = this.mongo.findAndModify(Query.query(Criteria.where("_id").is(id).and("status").is("OPEN")),
				update, FindAndModifyOptions.options().returnNew(true), Document.class, CollectionNames.DEAD_LETTERS);
		if (claimed == null) {
			Document existing = this.mongo.findById(id, Document.class, CollectionNames.DEAD_LETTERS);
			if (existing == null) {
				throw new NotFound("Dead letter " + id);
			}
			throw new Conflict("Dead letter " + id + " is " + existing.getString("status") + ", not OPEN");
		}
		return claimed;
	}

	private void send(String id, Document letter) {
		DeliveryTask task = this.mongo.getConverter().read(DeliveryTask.class, letter.get("task", Document.class));
		try {
			this.kafka.send(this.deliveries, task.partnerId(), task.replayed()).get(10, TimeUnit.SECONDS);
			logger.info("Dead letter {} replayed to partner {}", id, task.partnerId());
		}
		catch (Exception ex) {
			this.mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
					new Update().set("status", "OPEN").inc("replayCount", -1), CollectionNames.DEAD_LETTERS);
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new KafkaException("Replay of " + id + " not sent: " + ex.getMessage(), ex);
		}
	}

}
