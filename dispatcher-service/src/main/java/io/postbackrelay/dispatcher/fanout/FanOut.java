package io.postbackrelay.dispatcher.fanout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.common.DeliveryIds;
import io.postbackrelay.common.DeliveryOrigin;
import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.common.PostbackEvent;
import io.postbackrelay.dispatcher.delivery.DispatchMetrics;
import io.postbackrelay.dispatcher.partner.Partner;
import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import io.postbackrelay.dispatcher.system.DispatcherProperties;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code postbacks} and emits one {@link DeliveryTask} per matching partner to
 * {@code deliveries}, keyed by partner id. The postback's offset is committed only after
 * Kafka acknowledged every task, so a crash repeats the fan-out with the same delivery
 * ids rather than losing one.
 */
@Component
class FanOut {

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
	void fanOut(PostbackEvent postback) throws Exception {
		List<Partner> matching = this.partners.matching(postback);
		CompletableFuture<?>[] sends = matching.stream()
			.map((partner) -> this.kafka.send(this.deliveries, partner.id(), task(postback, partner)))
			.toArray(CompletableFuture[]::new);
		CompletableFuture.allOf(sends).get(30, TimeUnit.SECONDS);
		this.metrics.fannedOut(matching.size());
	}

	private static DeliveryTask task(PostbackEvent postback, Partner partner) {
		return new DeliveryTask(DeliveryTask.SCHEMA_VERSION, DeliveryIds.of(postback.postbackId(), partner.id()),
				postback.postbackId(), partner.id(), postback.sourceId(), postback.sourceName(), postback.params(),
				postback.receivedAt(), postback.test(), DeliveryOrigin.SCHEDULED, 0);
	}

}
