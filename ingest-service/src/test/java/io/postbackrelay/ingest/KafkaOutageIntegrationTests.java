package io.postbackrelay.ingest;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.testing.RelayInfrastructure;
import io.postbackrelay.testing.TcpGate;
import io.postbackrelay.testing.TopicReader;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka cannot be reached when postbacks arrive: they are accepted and stored, and arrive
 * on the topic exactly once each after it can.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "relay.ingest.publish.ack-wait=300ms", "relay.ingest.republish.interval=500ms",
				"relay.ingest.republish.min-age=4s", "spring.kafka.producer.properties.max.block.ms=300",
				"spring.kafka.producer.properties.request.timeout.ms=1000",
				"spring.kafka.producer.properties.delivery.timeout.ms=2000", "spring.kafka.admin.auto-create=false" })
class KafkaOutageIntegrationTests {

	static final EmbeddedKafkaKraftBroker broker = RelayInfrastructure.startOwnKafka();

	static final TcpGate gate = new TcpGate("127.0.0.1",
			Integer.parseInt(broker.getBrokersAsString().substring(broker.getBrokersAsString().lastIndexOf(':') + 1)));

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		RelayInfrastructure.register(registry);
		registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + gate.port());
	}

	@AfterAll
	static void stopBroker() {
		gate.close();
		broker.destroy();
	}

	@LocalServerPort
	int port;

	@Autowired
	MongoTemplate mongo;

	@Autowired
	ObjectMapper json;

	@Test
	void postbacksAcceptedWhileKafkaIsDownArePublishedOnceItIsBack() {
		IngestHttp http = new IngestHttp(this.port);
		String key = IngestHttp.createSource(this.mongo, "outage", true, List.of()).key();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> response = http.get("/postback/" + key + "?click_id=down-" + i);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			ids.add(this.json.readTree(response.body()).get("id").asString());
		}
		assertThat(ids).allSatisfy((id) -> assertThat(stored(id).getBoolean("published")).isFalse());

		gate.open();

		try (TopicReader topic = new TopicReader(broker.getBrokersAsString(), "postbacks")) {
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(ids).allSatisfy((id) -> assertThat(topic.valuesOf(id)).isNotEmpty()));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> ids.stream().allMatch((id) -> stored(id).getBoolean("published")));
			// two more republisher runs must not send any of them again
			await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
			assertThat(ids).allSatisfy((id) -> assertThat(topic.valuesOf(id)).hasSize(1));
		}
	}

	private Document stored(String id) {
		return this.mongo.findById(id, Document.class, CollectionNames.RECEIVED_POSTBACKS);
	}

}
