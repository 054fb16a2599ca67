package io.postbackrelay.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.RelayStack;
import io.postbackrelay.testing.TestPartner;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing partner's hand-off to the retry topics that Kafka takes seconds to accept
 * (here: a producer interceptor that holds each retry record 3 s, as a send waiting for
 * metadata would) delays neither the healthy partner's deliveries nor their attempt logs,
 * which every partner's deliveries wait for before their consumer polls again.
 */
@SpringBootTest(useMainMethod = UseMainMethod.ALWAYS, properties = { "relay.dispatcher.retry.backoff=30s",
		"spring.kafka.producer.properties.interceptor.classes=io.postbackrelay.dispatcher.BlockedHandOffIntegrationTests$SlowRetrySends" })
@DirtiesContext
class BlockedHandOffIntegrationTests {

	static final RelayStack pipeline = new RelayStack().startIngest(IngestApplication.application());

	static final String key = pipeline.createSource("blocked-hand-off");

	/** {@code deliveries} partitions in {@link RelayStack#properties()}. */
	private static final int PARTITIONS = 3;

	@DynamicPropertySource
	static void pipelineProperties(DynamicPropertyRegistry registry) {
		// 3 deliveries partitions, one consumer each
		pipeline.properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterAll
	static void stopPipeline() {
		pipeline.close();
	}

	@Autowired
	PartnerDirectory partners;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Test
	void healthyDeliveriesAndTheirLogsDoNotWaitForASlowHandOff() throws Exception {
		try (TestPartner failing = new TestPartner().answering(503); TestPartner healthy = new TestPartner()) {
			// on different partitions, so that only the attempt-log writer is shared: the
			// failing partner's consumer itself waits for its hand-offs by design
			String failingId = pipeline.createPartner("failing-0", "failing", failing.url("/f"), "GET", null, null);
			String healthyId = pipeline.createPartner(otherPartitionThan(failingId), "healthy", healthy.url("/ok"),
					"GET", null, null);
			await().until(() -> this.partners.find(failingId).isPresent() && this.partners.find(healthyId).isPresent());
			ContainerTestUtils.waitForAssignment(this.listeners.getListenerContainer("fan-out"), 3);
			// one partition per consumer: a consumer that joined late may still be
			// rebalancing when the total first reaches 3
			ConcurrentMessageListenerContainer<?, ?> deliveries = (ConcurrentMessageListenerContainer<?, ?>) this.listeners
				.getListenerContainer("deliveries");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> deliveries.getContainers()
					.stream()
					.allMatch((consumer) -> consumer.getAssignedPartitions() != null
							&& consumer.getAssignedPartitions().size() == 1));

			// the first delivery after start-up may take longer; its failing partner's
			// hand-off then holds for 3 s
			String first = pipeline.send(key, "click_id=blocked-0&status=approved");
			await().atMost(Duration.ofSeconds(30)).until(() -> healthyLogged(first, healthyId));
			for (int i = 1; i < 4; i++) {
				String postbackId = pipeline.send(key, "click_id=blocked-" + i + "&status=approved");
				// the healthy call and its log, while the failing partner's hand-offs
				// (3 s each) are still being sent
				await().atMost(Duration.ofSeconds(2)).until(() -> healthyLogged(postbackId, healthyId));
			}
			assertThat(healthy.received()).hasSize(4);
			// the failing partner's hand-offs, each held 3 s, all reached Kafka later
			await().atMost(Duration.ofSeconds(30)).until(() -> SlowRetrySends.sent.size() == 4);
			assertThat(SlowRetrySends.held).hasSize(4);
			assertThat(failing.received()).hasSize(4);
		}
	}

	private static String otherPartitionThan(String partnerId) {
		int taken = BuiltInPartitioner.partitionForKey(partnerId.getBytes(StandardCharsets.UTF_8), PARTITIONS);
		for (int i = 0;; i++) {
			String id = "healthy-" + i;
			if (BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), PARTITIONS) != taken) {
				return id;
			}
		}
	}

	private static boolean healthyLogged(String postbackId, String partnerId) {
		return pipeline.mongo()
			.getCollection(CollectionNames.PARTNER_POSTBACK_LOGS)
			.countDocuments(new Document("sourceLogId", postbackId).append("partnerId", partnerId)
				.append("success", true)) == 1;
	}

	/**
	 * Holds every record sent to a retry topic 3 s on the sending thread.
	 */
	public static final class SlowRetrySends implements ProducerInterceptor<Object, Object> {

		static final Set<String> held = ConcurrentHashMap.newKeySet();

		static final Set<String> sent = ConcurrentHashMap.newKeySet();

		@Override
		public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
			if (record.topic().contains("-retry-")) {
				held.add(String.valueOf(record.value()));
				try {
					Thread.sleep(3000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return record;
		}

		@Override
		public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
			if (metadata != null && metadata.topic().contains("-retry-") && exception == null) {
				sent.add(metadata.topic() + "@" + metadata.offset());
			}
		}

		@Override
		public void close() {
		}

		@Override
		public void configure(Map<String, ?> configs) {
		}

	}

}
