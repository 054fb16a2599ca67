package io.postbackrelay.ingest;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.PostbackEvent;
import io.postbackrelay.testing.RelayInfrastructure;
import io.postbackrelay.testing.TopicReader;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest end to end over HTTP against a real Kafka broker and MongoDB server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "relay.ingest.trusted-proxies=127.0.0.1/32", "relay.ingest.limits.max-parameters=10",
				"relay.ingest.limits.max-body-size=2KB", "relay.ingest.limits.max-value-length=100" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestIntegrationTests {

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		RelayInfrastructure.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	MongoTemplate mongo;

	@Autowired
	ObjectMapper json;

	private IngestHttp http;

	private TopicReader topic;

	private IngestHttp.NewSource source;

	private String key;

	@BeforeAll
	void openTopic() {
		this.topic = new TopicReader(RelayInfrastructure.endpoints().kafkaBootstrap(), "postbacks");
	}

	@AfterAll
	void closeTopic() {
		this.topic.close();
	}

	@BeforeEach
	void source() {
		this.http = new IngestHttp(this.port);
		this.source = IngestHttp.createSource(this.mongo, "acme-ads", true, List.of());
		this.key = this.source.key();
	}

	@Test
	void acceptedGetIsStoredAndPublishedWithEveryField() {
		HttpResponse<String> response = this.http.get("/postback/" + this.key
				+ "?click_id=abc%20123&status=approved&payout=12.50&offer_id=77&transaction_id=tx-1&sub1=&aff=x%26y");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = this.json.readTree(response.body());
		assertThat(body.get("status").asString()).isEqualTo("accepted");
		assertThat(body.get("duplicate").asBoolean()).isFalse();
		String id = body.get("id").asString();

		Document stored = storedPostback(id);
		assertThat(stored.getString("clickId")).isEqualTo("abc 123");
		assertThat(stored.getString("status")).isEqualTo("approved");
		assertThat(stored.get("payout", Decimal128.class).bigDecimalValue()).isEqualByComparingTo("12.50");
		assertThat(stored.getString("offerId")).isEqualTo("77");
		assertThat(stored.getString("transactionId")).isEqualTo("tx-1");
		assertThat(stored.getString("sourceName")).isEqualTo("acme-ads");
		assertThat(stored.get("params", Document.class)).containsEntry("aff", "x&y")
			.containsEntry("sub1", "")
			.containsEntry("ip", "127.0.0.1")
			.containsKey("timestamp");

		PostbackEvent event = publishedEvent(id);
		assertThat(event.schemaVersion()).isEqualTo(PostbackEvent.SCHEMA_VERSION);
		assertThat(event.postbackId()).isEqualTo(id);
		assertThat(event.sourceName()).isEqualTo("acme-ads");
		assertThat(event.clickId()).isEqualTo("abc 123");
		assertThat(event.status()).isEqualTo("approved");
		assertThat(event.payout()).isEqualByComparingTo(new BigDecimal("12.50"));
		assertThat(event.offerId()).isEqualTo("77");
		assertThat(event.transactionId()).isEqualTo("tx-1");
		assertThat(event.params()).containsEntry("aff", "x&y")
			.containsEntry("ip", "127.0.0.1")
			.containsEntry("timestamp", Long.toString(event.receivedAt().getEpochSecond()));
		await().atMost(Duration.ofSeconds(10)).until(() -> storedPostback(id).getBoolean("published"));
		// marked by the driver directly: the same BSON date Spring Data writes for an
		// Instant
		Document marked = storedPostback(id);
		assertThat(marked.getDate("publishedAt")).isAfterOrEqualTo(marked.getDate("receivedAt"));
		assertThat(marked.get("_id")).isInstanceOf(ObjectId.class);
		// encoded by ingest itself: the fields Spring Data wrote, without its _class hint
		assertThat(marked.keySet()).containsExactlyInAnyOrder("_id", "sourceId", "sourceName", "params", "clickId",
				"status", "payout", "offerId", "transactionId", "dedupeKey", "receivedAt", "published", "publishedAt",
				"test");
	}

	@Test
	void acceptedJsonPostIsPublishedAndItsBodyWinsOverTheQuery() {
		HttpResponse<String> response = this.http.post("/postback/" + this.key + "?click_id=from-query&status=lead",
				"application/json", "{\"click_id\":\"from-body\",\"payout\":3.10,\"converted\":true,\"note\":null}");

		assertThat(response.statusCode()).isEqualTo(200);
		PostbackEvent event = publishedEvent(idOf(response));
		assertThat(event.clickId()).isEqualTo("from-body");
		assertThat(event.status()).isEqualTo("lead");
		assertThat(event.payout()).isEqualByComparingTo("3.10");
		assertThat(event.params()).containsEntry("payout", "3.10")
			.containsEntry("converted", "true")
			.containsEntry("note", "");
	}

	@Test
	void acceptedFormPostIsPublishedAndItsBodyWinsOverTheQuery() {
		HttpResponse<String> response = this.http.post("/postback/" + this.key + "?click_id=from-query&sub2=q",
				"application/x-www-form-urlencoded", "click_id=from+form&status=sale&payout=0");

		assertThat(response.statusCode()).isEqualTo(200);
		PostbackEvent event = publishedEvent(idOf(response));
		assertThat(event.clickId()).isEqualTo("from form");
		assertThat(event.status()).isEqualTo("sale");
		assertThat(event.payout()).isEqualByComparingTo("0");
		assertThat(event.params()).containsEntry("sub2", "q");
	}

	@Test
	void repeatedPostbackIsADuplicateOfTheFirstAndNotPublishedAgain() {
		String query = "/postback/" + this.key + "?click_id=dup-1&status=approved";
		String first = idOf(this.http.get(query));
		HttpResponse<String> again = this.http.get(query + "&payout=5");

		assertThat(again.statusCode()).isEqualTo(200);
		JsonNode body = this.json.readTree(again.body());
		assertThat(body.get("duplicate").asBoolean()).isTrue();
		assertThat(body.get("id").asString()).isEqualTo(first);
		assertThat(countStored("dup-1")).isEqualTo(1);
		publishedEvent(first);
		assertThat(this.topic.valuesOf(first)).hasSize(1);

		String otherStatus = idOf(this.http.get("/postback/" + this.key + "?click_id=dup-1&status=rejected"));
		assertThat(otherStatus).isNotEqualTo(first);
	}

	@Test
	void transactionIdRatherThanClickIdDecidesWhatIsADuplicate() {
		String base = "/postback/" + this.key + "?status=approved&transaction_id=";
		String first = idOf(this.http.get(base + "t-1&click_id=c-1"));
		String sameTransaction = idOf(this.http.get(base + "t-1&click_id=c-2"));
		String otherTransaction = idOf(this.http.get(base + "t-2&click_id=c-1"));

		assertThat(sameTransaction).isEqualTo(first);
		assertThat(otherTransaction).isNotEqualTo(first);
	}

	@Test
	void concurrentIdenticalPostbacksAreStoredAndPublishedOnce() throws Exception {
		String query = "/postback/" + this.key + "?click_id=race-1&status=approved";
		List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			calls.add(() -> this.http.get(query));
		}
		List<JsonNode> bodies = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			for (Future<HttpResponse<String>> response : pool.invokeAll(calls)) {
				assertThat(response.get().statusCode()).isEqualTo(200);
				bodies.add(this.json.readTree(response.get().body()));
			}
		}
		finally {
			pool.shutdown();
		}

		Set<String> ids = bodies.stream().map((body) -> body.get("id").asString()).collect(Collectors.toSet());
		assertThat(ids).hasSize(1);
		assertThat(bodies.stream().filter((body) -> !body.get("duplicate").asBoolean())).hasSize(1);
		assertThat(countStored("race-1")).isEqualTo(1);
		String id = ids.iterator().next();
		publishedEvent(id);
		assertThat(this.topic.valuesOf(id)).hasSize(1);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			missing click_id            | status=approved                       | click_id
			blank click_id              | click_id=%20&status=approved          | click_id
			negative payout             | click_id=a&payout=-1                  | payout
			payout that is not a number | click_id=a&payout=12,5                | payout
			payout with exponent abuse  | click_id=a&payout=1e999               | payout
			name with a dollar sign     | click_id=a&%24where=1                 | $where
			name with a dot             | click_id=a&a.b=1                      | a.b
			value too long              | click_id=a&sub1=${long}               | sub1
			""")
	void invalidParameterIsRefusedWithAProblemNamingIt(String rule, String query, String parameter) {
		HttpResponse<String> response = this.http
			.get("/postback/" + this.key + "?" + query.replace("${long}", "x".repeat(101)));

		assertThat(response.statusCode()).as(rule).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("parameter").asString()).isEqualTo(parameter);
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(countStoredFromSource()).isZero();
	}

	@Test
	void tooManyParametersIsRefused() {
		StringBuilder query = new StringBuilder("click_id=a");
		for (int i = 0; i < 10; i++) {
			query.append("&p").append(i).append("=v");
		}
		HttpResponse<String> response = this.http.get("/postback/" + this.key + "?" + query);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(response.body()).get("detail").asString()).contains("Too many parameters");
	}

	@Test
	void nameTooLongIsRefused() {
		HttpResponse<String> response = this.http.get("/postback/" + this.key + "?click_id=a&" + "n".repeat(65) + "=1");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(response.body()).get("detail").asString()).contains("longer than 64");
	}

	@Test
	void bodyLargerThanTheLimitIsRefusedWith413() {
		HttpResponse<String> response = this.http.post("/postback/" + this.key, "application/x-www-form-urlencoded",
				"click_id=a&sub1=" + "x".repeat(3000));

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(countStoredFromSource()).isZero();
	}

	@Test
	void jsonBodyThatIsNotAFlatObjectIsRefused() {
		assertThat(this.http.post("/postback/" + this.key, "application/json", "{\"click_id\":{\"$gt\":\"\"}}")
			.statusCode()).isEqualTo(400);
		assertThat(this.http.post("/postback/" + this.key, "application/json", "[1,2]").statusCode()).isEqualTo(400);
		assertThat(this.http.post("/postback/" + this.key, "application/json", "{not json").statusCode())
			.isEqualTo(400);
	}

	@Test
	void bodyOfAnotherContentTypeIsRefusedWith415() {
		assertThat(this.http.post("/postback/" + this.key, "text/xml", "<click_id>a</click_id>").statusCode())
			.isEqualTo(415);
	}

	@Test
	void unknownKeyIsRefusedWith401() {
		HttpResponse<String> response = this.http.get("/postback/not-a-key?click_id=a");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.json.readTree(response.body()).get("title").asString()).isEqualTo("Unauthorized");
	}

	@Test
	void inactiveSourceIsRefusedWith401() {
		String inactive = IngestHttp.createSource(this.mongo, "paused", false, List.of()).key();

		assertThat(this.http.get("/postback/" + inactive + "?click_id=a").statusCode()).isEqualTo(401);
	}

	@Test
	void addressOutsideTheSourcesAllowedRangesIsRefusedWith403() {
		String restricted = IngestHttp.createSource(this.mongo, "restricted", true, List.of("10.0.0.0/8")).key();

		assertThat(this.http.get("/postback/" + restricted + "?click_id=a").statusCode()).isEqualTo(403);
	}

	@Test
	void forwardedAddressFromATrustedProxyIsTheClientAddress() {
		String restricted = IngestHttp
			.createSource(this.mongo, "behind-proxy", true, List.of("203.0.113.0/24", "2001:db8::/32"))
			.key();

		HttpResponse<String> allowed = this.http.get("/postback/" + restricted + "?click_id=fwd-1", "X-Forwarded-For",
				"198.51.100.9, 203.0.113.7");
		HttpResponse<String> refused = this.http.get("/postback/" + restricted + "?click_id=fwd-2", "X-Forwarded-For",
				"203.0.113.7, 198.51.100.9");

		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(storedPostback(idOf(allowed)).get("params", Document.class)).containsEntry("ip", "203.0.113.7");
		assertThat(refused.statusCode()).isEqualTo(403);
	}

	@Test
	void metricsCountPostbacksByOutcomeAndShowTheBacklog() {
		double accepted = received("accepted");
		double duplicate = received("duplicate");
		double rejected = received("rejected");
		this.http.get("/postback/" + this.key + "?click_id=m-1");
		this.http.get("/postback/" + this.key + "?click_id=m-1");
		this.http.get("/postback/" + this.key + "?click_id=m-2");
		this.http.get("/postback/" + this.key + "?status=x");

		String metrics = this.http.get("/actuator/prometheus").body();
		assertThat(received("accepted")).isEqualTo(accepted + 2);
		assertThat(received("duplicate")).isEqualTo(duplicate + 1);
		assertThat(received("rejected")).isEqualTo(rejected + 1);

		assertThat(metrics)
			.contains("relay_postbacks_received_total{application=\"ingest-service\",outcome=\"accepted\"")
			.contains("outcome=\"duplicate\"")
			.contains("reason=\"invalid_parameter\"")
			.contains("relay_ingest_request_seconds_bucket")
			.contains("relay_ingest_unpublished")
			// the driver's pool metrics, but not its per-command timers (off on this hot
			// path)
			.contains("mongodb_driver_pool_size")
			.doesNotContain("mongodb_driver_commands");
	}

	/**
	 * The postback requests counted with an outcome, over every source and reason.
	 */
	private double received(String outcome) {
		return this.http
			.metric("relay_postbacks_received_total{", (line) -> line.contains("outcome=\"" + outcome + "\""))
			.orElse(0);
	}

	@Test
	void healthHasLivenessAndReadinessGroups() {
		assertThat(this.http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		HttpResponse<String> readiness = this.http.get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
	}

	private String idOf(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return this.json.readTree(response.body()).get("id").asString();
	}

	private Document storedPostback(String id) {
		return this.mongo.findById(id, Document.class, CollectionNames.RECEIVED_POSTBACKS);
	}

	private long countStored(String clickId) {
		return this.mongo.count(Query.query(Criteria.where("clickId").is(clickId)), CollectionNames.RECEIVED_POSTBACKS);
	}

	private long countStoredFromSource() {
		return this.mongo.count(Query.query(Criteria.where("sourceId").is(this.source.id())),
				CollectionNames.RECEIVED_POSTBACKS);
	}

	private PostbackEvent publishedEvent(String id) {
		List<String> values = new ArrayList<>();
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			values.clear();
			values.addAll(this.topic.valuesOf(id));
			return !values.isEmpty();
		});
		return this.json.readValue(values.get(0), PostbackEvent.class);
	}

}
