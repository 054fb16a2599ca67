package io.postbackrelay.ingest;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.testing.RelayInfrastructure;
import io.postbackrelay.testing.TcpGate;
import io.postbackrelay.testing.TopicReader;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka cannot be reached when postbacks arrive: they are accepted and stored, and arrive
 * on the topic exactly once each after it can. The first test starts with Kafka
 * unreachable and ends with it back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "relay.ingest.publish.ack-wait=300ms", "relay.ingest.republish.interval=500ms",
				"relay.ingest.republish.min-age=4s", "spring.kafka.producer.properties.max.block.ms=300",
				"spring.kafka.producer.properties.request.timeout.ms=1000",
				"spring.kafka.producer.properties.delivery.timeout.ms=2000", "spring.kafka.admin.auto-create=false" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
	@Order(1)
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
		// once older than min-age they are a backlog, which the alert watches
		await().atMost(Duration.ofSeconds(20)).until(() -> unpublished(http) == ids.size());

		gate.open();

		try (TopicReader topic = new TopicReader(broker.getBrokersAsString(), "postbacks")) {
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(ids).allSatisfy((id) -> assertThat(topic.valuesOf(id)).isNotEmpty()));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> ids.stream().allMatch((id) -> stored(id).getBoolean("published")));
			// two more republisher runs must not send any of them again
			await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
			assertThat(ids).allSatisfy((id) -> assertThat(topic.valuesOf(id)).hasSize(1));
			await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(http) == 0);
		}
	}

	@Test
	@Order(2)
	void postbacksInFlightAreNotCountedAsABacklog() {
		IngestHttp http = new IngestHttp(this.port);
		String key = IngestHttp.createSource(this.mongo, "in-flight", true, List.of()).key();
		gate.open();
		HttpResponse<String> response = http.get("/postback/" + key + "?click_id=in-flight");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String id = this.json.readTree(response.body()).get("id").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> stored(id).getBoolean("published"));
		try (TopicReader topic = new TopicReader(broker.getBrokersAsString(), "postbacks")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> topic.valuesOf(id).size() == 1);
			// as if its acknowledgement were still to come
			this.mongo.updateFirst(Query.query(Criteria.where("_id").is(new ObjectId(id))),
					new Update().set("published", false).set("receivedAt", Instant.now()),
					CollectionNames.RECEIVED_POSTBACKS);

			// three republisher runs within min-age (4 s): not a backlog, and not sent
			await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
			assertThat(unpublished(http)).isZero();
			assertThat(topic.valuesOf(id)).hasSize(1);
			// older than min-age, it counts as unacknowledged and is sent again
			await().atMost(Duration.ofSeconds(30)).until(() -> topic.valuesOf(id).size() == 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> stored(id).getBoolean("published"));
			assertThat(unpublished(http)).isZero();
		}
	}

	private static double unpublished(IngestHttp http) {
		return http.metric("relay_ingest_unpublished{", (line) -> true).orElseThrow();
	}

	private Document stored(String id) {
		return this.mongo.findById(id, Document.class, CollectionNames.RECEIVED_POSTBACKS);
	}

}
