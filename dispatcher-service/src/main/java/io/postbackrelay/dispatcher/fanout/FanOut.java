package io.postbackrelay.dispatcher.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.postbackrelay.common.DeliveryIds;
import io.postbackrelay.common.DeliveryOrigin;
import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.common.PostbackEvent;
import io.postbackrelay.dispatcher.delivery.DispatchMetrics;
import io.postbackrelay.dispatcher.partner.Partner;
import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import io.postbackrelay.dispatcher.system.DispatcherProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.core.log.LogAccessor;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code postbacks} a poll at a time and emits one {@link DeliveryTask} per
 * matching partner to {@code deliveries}, keyed by partner id. The batch's offsets are
 * committed only after Kafka acknowledged every task, so a crash repeats the fan-out with
 * the same delivery ids rather than losing one. One wait per batch, rather than per
 * postback, lets the producer send many tasks per request.
 */
@Component
class FanOut {

	private static final LogAccessor logger = new LogAccessor(FanOut.class);

	private final PartnerDirectory partners;

	private final KafkaTemplate<Object, Object> kafka;

	private final DispatchMetrics metrics;

	private final String deliveries;

	FanOut(PartnerDirectory partners, KafkaTemplate<Object, Object> kafka, DispatchMetrics metrics,
			DispatcherProperties properties) {
		this.partners = partners;
		this.kafka = kafka;
		this.metrics = metrics;
		this.deliveries = properties.topics().deliveries();
	}

	@KafkaListener(id = "fan-out", topics = "${relay.dispatcher.topics.postbacks:postbacks}",
			groupId = "${spring.kafka.consumer.group-id:dispatcher}", containerFactory = FanOutConfiguration.FACTORY,
			concurrency = "${relay.dispatcher.fan-out-concurrency:2}",
			properties = "spring.json.value.default.type=io.postbackrelay.common.PostbackEvent")
	void fanOut(List<ConsumerRecord<String, PostbackEvent>> postbacks) throws InterruptedException {
		List<CompletableFuture<?>> sends = new ArrayList<>(postbacks.size());
		for (int i = 0; i < postbacks.size(); i++) {
			ConsumerRecord<String, PostbackEvent> record = postbacks.get(i);
			DeserializationException unparseable = SerializationUtils.getExceptionFromHeader(record,
					SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, logger);
			if (unparseable != null) {
				// the ones before it are fanned out and committed; this one goes to the
				// dead-letter topic, the rest are polled again
				awaitAll(sends, i);
				throw new BatchListenerFailedException("Postback record could not be parsed", unparseable, i);
			}
			if (record.value() == null) {
				// a tombstone: nothing to deliver
				logger.warn(() -> "Skipping empty record at offset " + record.offset() + " of " + record.topic());
				this.metrics.unparseable(record.topic());
				sends.add(CompletableFuture.completedFuture(null));
				continue;
			}
			sends.add(fanOut(record.value()));
		}
		awaitAll(sends, postbacks.size());
	}

	private CompletableFuture<?> fanOut(PostbackEvent postback) {
		List<Partner> matching = this.partners.matching(postback);
		CompletableFuture<?>[] sends = matching.stream()
			.map((partner) -> this.kafka.send(this.deliveries, partner.id(), task(postback, partner)))
			.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(sends).thenRun(() -> this.metrics.fannedOut(matching.size()));
	}

	/**
	 * Waits for the first {@code count} postbacks' tasks to be acknowledged; when one
	 * failed, that postback and the ones after it are polled again.
	 */
	private static void awaitAll(List<CompletableFuture<?>> sends, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (int i = 0; i < count; i++) {
			try {
				sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new BatchListenerFailedException("Delivery tasks not acknowledged by Kafka", ex, i);
			}
		}
	}

	private static DeliveryTask task(PostbackEvent postback, Partner partner) {
		return new DeliveryTask(DeliveryTask.SCHEMA_VERSION, DeliveryIds.of(postback.postbackId(), partner.id()),
				postback.postbackId(), partner.id(), postback.sourceId(), postback.sourceName(), postback.params(),
				postback.receivedAt(), postback.test(), DeliveryOrigin.SCHEDULED, 0);
	}

}
