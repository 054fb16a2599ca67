package io.postbackrelay.ingest;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import de.bwaldvogel.mongo.MongoServer;
import io.postbackrelay.testing.RelayInfrastructure;
import io.postbackrelay.testing.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MongoDB goes away: ingest answers 503 with {@code Retry-After} and publishes nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "relay.ingest.mongo-timeout=1s", "relay.ingest.source-cache-ttl=1ms" })
class MongoOutageIntegrationTests {

	static final MongoServer mongoServer = RelayInfrastructure.startOwnMongo();

	static final String TOPIC = "postbacks-mongo-outage-" + UUID.randomUUID();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		RelayInfrastructure.register(registry);
		registry.add("spring.mongodb.uri", () -> mongoServer.getConnectionString() + "/outage");
		registry.add("relay.ingest.topic", () -> TOPIC);
	}

	@AfterAll
	static void stopMongo() {
		mongoServer.shutdownNow();
	}

	@LocalServerPort
	int port;

	@Autowired
	MongoTemplate mongo;

	@Autowired
	ObjectMapper json;

	@Test
	void storeUnavailableAnswers503WithRetryAfterAndPublishesNothing() {
		IngestHttp http = new IngestHttp(this.port);
		String key = IngestHttp.createSource(this.mongo, "mongo-outage", true, List.of()).key();
		HttpResponse<String> before = http.get("/postback/" + key + "?click_id=before");
		assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
		String acceptedId = this.json.readTree(before.body()).get("id").asString();

		mongoServer.shutdownNow();
		HttpResponse<String> during = http.get("/postback/" + key + "?click_id=during");

		assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
		assertThat(during.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(this.json.readTree(during.body()).get("detail").asString()).contains("unavailable");
		try (TopicReader topic = new TopicReader(RelayInfrastructure.endpoints().kafkaBootstrap(), TOPIC)) {
			await().atMost(Duration.ofSeconds(15)).until(() -> !topic.poll().isEmpty());
			await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
			assertThat(topic.poll()).singleElement()
				.satisfies((record) -> assertThat(record.key()).isEqualTo(acceptedId));
		}
		assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
	}

}
