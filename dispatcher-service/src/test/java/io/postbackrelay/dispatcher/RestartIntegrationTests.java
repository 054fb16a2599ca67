package io.postbackrelay.dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.RelayStack;
import io.postbackrelay.testing.TestPartner;
import mockwebserver3.MockResponse;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dispatcher stopped in the middle of a stream and started again loses no delivery;
 * neither does a second instance joining the consumer group mid-stream.
 */
class RestartIntegrationTests {

	static final RelayStack pipeline = new RelayStack().startIngest(IngestApplication.application());

	@AfterAll
	static void stopPipeline() {
		pipeline.close();
	}

	@Test
	void dispatcherRestartMidStreamLosesNoDelivery() {
		String key = pipeline.createSource("restart");
		try (TestPartner partner = new TestPartner()) {
			partner.answering(
					(count) -> new MockResponse.Builder().code(200).headersDelay(100, TimeUnit.MILLISECONDS).build());
			pipeline.createPartner("steady", partner.url("/s"), "GET", null, null);
			// small polls, so the stop comes between records rather than after a large
			// batch
			ConfigurableApplicationContext first = startDispatcher("--spring.kafka.consumer.max-poll-records=2",
					"--relay.dispatcher.delivery-poll-records=2");
			List<String> sent = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				sent.add(pipeline.send(key, "click_id=restart-" + i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> partner.received().size() >= 5);

			first.close();
			int beforeRestart = partner.received().size();
			ConfigurableApplicationContext second = startDispatcher();
			try {
				await().atMost(Duration.ofSeconds(60)).until(() -> receivedPostbackIds(partner).containsAll(sent));
			}
			finally {
				second.close();
			}
			assertThat(beforeRestart).isLessThan(sent.size());
			assertOneDeliveryIdPerPostback(partner);
		}
	}

	@Test
	void aSecondDispatcherJoiningMidStreamTakesPartitionsAndLosesNoDelivery() {
		String key = pipeline.createSource("scale-out");
		List<TestPartner> partners = List.of(new TestPartner(), new TestPartner(), new TestPartner());
		ConfigurableApplicationContext first = null;
		ConfigurableApplicationContext second = null;
		try {
			for (int i = 0; i < partners.size(); i++) {
				// slow enough that calls are in flight when the partitions move
				partners.get(i)
					.answering((count) -> new MockResponse.Builder().code(200)
						.headersDelay(50, TimeUnit.MILLISECONDS)
						.build());
				pipeline.createPartner("scaled-" + i, partners.get(i).url("/s" + i), "GET", null, null);
			}
			first = startDispatcher();
			List<String> sent = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				sent.add(pipeline.send(key, "click_id=scale-" + i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> partners.get(0).received().size() >= 3);
			second = startDispatcher();
			for (int i = 30; i < 60; i++) {
				sent.add(pipeline.send(key, "click_id=scale-" + i));
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> partners.stream().allMatch((partner) -> receivedPostbackIds(partner).containsAll(sent)));
			// the second instance took part of the deliveries topic from the first (on a
			// busy machine the rebalance may end after the last delivery)
			ConfigurableApplicationContext joined = second;
			await().atMost(Duration.ofSeconds(30)).until(() -> !assignedDeliveryPartitions(joined).isEmpty());
			assertThat(assignedDeliveryPartitions(first)).hasSizeLessThan(3);
			partners.forEach(RestartIntegrationTests::assertOneDeliveryIdPerPostback);
		}
		finally {
			if (second != null) {
				second.close();
			}
			if (first != null) {
				first.close();
			}
			partners.forEach(TestPartner::close);
		}
	}

	private static Collection<TopicPartition> assignedDeliveryPartitions(ConfigurableApplicationContext dispatcher) {
		return dispatcher.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer("deliveries")
			.getAssignedPartitions();
	}

	private static void assertOneDeliveryIdPerPostback(TestPartner partner) {
		Map<String, Set<String>> deliveryIdsByPostback = partner.received()
			.stream()
			.collect(Collectors.groupingBy((r) -> r.header("X-Postback-Id"),
					Collectors.mapping((r) -> r.header("X-Delivery-Id"), Collectors.toSet())));
		assertThat(deliveryIdsByPostback.values()).allSatisfy((ids) -> assertThat(ids).hasSize(1));
	}

	private static Set<String> receivedPostbackIds(TestPartner partner) {
		return partner.received().stream().map((r) -> r.header("X-Postback-Id")).collect(Collectors.toSet());
	}

	private static ConfigurableApplicationContext startDispatcher(String... extra) {
		List<String> args = new ArrayList<>(List.of(extra));
		args.add("--relay.dispatcher.delivery-concurrency=1");
		return pipeline.start(DispatcherApplication.application(), args.toArray(String[]::new));
	}

}
