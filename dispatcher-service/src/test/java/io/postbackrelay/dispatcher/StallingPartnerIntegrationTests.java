package io.postbackrelay.dispatcher;

import java.time.Duration;
import java.util.List;

import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.PostbackStream;
import io.postbackrelay.testing.RelayStack;
import io.postbackrelay.testing.TestPartner;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partner that answered fast until now stops answering, while another receives a steady
 * stream through the same partition and consumer: the first call that hangs holds the
 * poll only for its partner's short hold (a few times its usual answer time), not the
 * longest hold, which here is long enough to tell the two apart.
 */
@SpringBootTest(useMainMethod = UseMainMethod.ALWAYS,
		properties = { "relay.dispatcher.retry.backoff=30s", "relay.dispatcher.guard.minimum-calls=5",
				"relay.dispatcher.guard.open-for=20s", "relay.dispatcher.delivery.hold=2s",
				"relay.dispatcher.delivery.min-hold=50ms" })
@DirtiesContext
class StallingPartnerIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(StallingPartnerIntegrationTests.class);

	static final RelayStack pipeline = new RelayStack().startIngest(IngestApplication.application());

	static final String key = pipeline.createSource("stream");

	@DynamicPropertySource
	static void pipelineProperties(DynamicPropertyRegistry registry) {
		// both partners' deliveries share one partition and its one consumer
		pipeline.onePartitionProperties().forEach((name, value) -> registry.add(name, () -> value));
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
	void aFastPartnerThatStopsAnsweringHoldsTheOthersOnlyForItsShortHold() throws Exception {
		int postbacks = 60;
		Duration interval = Duration.ofMillis(50);
		try (TestPartner stopping = new TestPartner(); TestPartner healthy = new TestPartner()) {
			String stoppingId = pipeline.createPartner("stopping", stopping.url("/s"), "GET", null,
					new Document("timeoutMs", 5000));
			String healthyId = pipeline.createPartner("healthy", healthy.url("/ok"), "GET", null, null);
			await()
				.until(() -> this.partners.find(stoppingId).isPresent() && this.partners.find(healthyId).isPresent());
			ContainerTestUtils.waitForAssignment(this.listeners.getListenerContainer("fan-out"), 3);
			ContainerTestUtils.waitForAssignment(this.listeners.getListenerContainer("deliveries"), 1);

			// both answer at first: the dispatcher learns how fast
			try (PostbackStream answered = new PostbackStream(pipeline, key, "answered", postbacks, interval)) {
				await().atMost(Duration.ofSeconds(60))
					.until(() -> stopping.received().size() >= postbacks && healthy.received().size() >= postbacks);
			}
			stopping.hanging();
			List<Long> delaysMs;
			try (PostbackStream hanging = new PostbackStream(pipeline, key, "hanging", postbacks, interval)) {
				await().atMost(Duration.ofSeconds(60))
					.until(() -> healthy.received().size() >= 2 * postbacks
							&& hanging.acceptedAt().size() == postbacks);
				delaysMs = hanging.delaysMs(healthy);
			}
			long p50 = PostbackStream.percentile(delaysMs, 50);
			long max = delaysMs.get(delaysMs.size() - 1);
			logger.info("Healthy partner delay after another stopped answering: p50 {} ms, max {} ms; "
					+ "calls to the stopped partner: {}", p50, max, stopping.received().size() - postbacks);

			assertThat(delaysMs).hasSize(postbacks);
			assertThat(healthy.received()).extracting((r) -> r.header("X-Postback-Id")).doesNotHaveDuplicates();
			// the first hanging call held its poll for about 50 ms (4 x a few ms, at
			// least
			// min-hold), then the partner counted as stalled and held nothing; with the
			// longest hold (2 s) for every partner, the healthy deliveries polled
			// meanwhile waited about 2 s
			assertThat(max).isLessThan(1000);
		}
	}

}
