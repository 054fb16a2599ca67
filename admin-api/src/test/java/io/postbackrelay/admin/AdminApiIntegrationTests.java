package io.postbackrelay.admin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryIds;
import io.postbackrelay.dispatcher.DispatcherApplication;
import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.RelayStack;
import io.postbackrelay.testing.TestPartner;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every admin endpoint against the real pipeline: ingest and dispatcher running on a real
 * Kafka broker and MongoDB server, partners that are real HTTP servers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, useMainMethod = UseMainMethod.ALWAYS,
		properties = { "relay.admin.tokens[0].name=viewer", "relay.admin.tokens[0].role=viewer",
				"relay.admin.tokens[0].token=" + AdminClient.VIEWER, "relay.admin.tokens[1].name=ops",
				"relay.admin.tokens[1].role=operator",
				"relay.admin.tokens[1].sha256=e4c7b1c4bf5bb4b2b9bfb0e5c8a5c4f0d5f06ba5c4eaff7f3c40a89f0b3a0d5b",
				"relay.admin.tokens[2].name=ops-plain", "relay.admin.tokens[2].role=operator",
				"relay.admin.tokens[2].token=" + AdminClient.OPERATOR })
@DirtiesContext
class AdminApiIntegrationTests {

	static final RelayStack stack = new RelayStack().startIngest(IngestApplication.application(),
			"--relay.ingest.source-cache-ttl=100ms");

	static {
		stack.start(DispatcherApplication.application(), "--relay.dispatcher.retry.backoff=1s",
				"--relay.dispatcher.retry.jitter=0");
	}

	@DynamicPropertySource
	static void stackProperties(DynamicPropertyRegistry registry) {
		stack.properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterAll
	static void stopStack() {
		stack.close();
	}

	@LocalServerPort
	int port;

	private AdminClient admin;

	private final TestPartner partner = new TestPartner();

	@BeforeEach
	void client() {
		this.admin = new AdminClient(this.port);
	}

	@AfterEach
	void cleanUp() {
		this.partner.close();
		stack.deactivatePartners();
	}

	@Test
	void apiNeedsAValidTokenAndTheRightRole() {
		HttpResponse<String> none = this.admin.call("GET", "/api/admin/partners", null, null);
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(this.admin.json(none).get("status").asInt()).isEqualTo(401);
		assertThat(this.admin.call("GET", "/api/admin/partners", "wrong", null).statusCode()).isEqualTo(401);
		assertThat(this.admin.call("GET", "/api/admin/partners", AdminClient.VIEWER, null).statusCode()).isEqualTo(200);

		HttpResponse<String> viewerWrites = this.admin.call("POST", "/api/admin/partners", AdminClient.VIEWER,
				partnerJson("viewer-try", "https://partner.example/pb", "GET"));
		assertThat(viewerWrites.statusCode()).isEqualTo(403);
		assertThat(this.admin.json(viewerWrites).get("status").asInt()).isEqualTo(403);
		assertThat(this.admin.call("GET", "/test-distribution-now", AdminClient.VIEWER, null).statusCode())
			.isEqualTo(403);
		assertThat(this.admin
			.call("POST", "/api/admin/partners", AdminClient.OPERATOR,
					partnerJson("ops-try", "https://partner.example/pb", "GET"))
			.statusCode()).isEqualTo(201);
		assertThat(this.admin.call("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
	}

	@Test
	void partnersAreCreatedReadReplacedToggledAndDeleted() {
		JsonNode created = this.admin.post("/api/admin/partners",
				partnerJson("crud", "https://partner.example/cb/{click_id}", "POST"));
		String id = created.get("id").asString();
		assertThat(created.get("active").asBoolean()).isTrue();
		assertThat(created.get("signed").asBoolean()).isTrue();
		assertThat(created.has("signingSecret")).isFalse();

		assertThat(this.admin.get("/api/admin/partners/" + id).get("name").asString()).isEqualTo("crud");
		assertThat(this.admin.get("/api/admin/partners").findValuesAsString("id")).contains(id);
		JsonNode replaced = ok(this.admin.call("PUT", "/api/admin/partners/" + id, AdminClient.OPERATOR,
				partnerJson("crud-renamed", "https://partner.example/v2", "GET")));
		assertThat(replaced.get("name").asString()).isEqualTo("crud-renamed");
		assertThat(replaced.get("method").asString()).isEqualTo("GET");
		assertThat(this.admin.post("/api/admin/partners/" + id + "/deactivate", null).get("active").asBoolean())
			.isFalse();
		assertThat(this.admin.post("/api/admin/partners/" + id + "/activate", null).get("active").asBoolean()).isTrue();
		assertThat(this.admin.call("DELETE", "/api/admin/partners/" + id, AdminClient.OPERATOR, null).statusCode())
			.isEqualTo(204);
		assertThat(this.admin.call("GET", "/api/admin/partners/" + id, AdminClient.VIEWER, null).statusCode())
			.isEqualTo(404);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					url not http       | {"name":"a","email":"a@example.com","postbackUrl":"ftp://x/y","method":"GET"}             | postbackUrl
					url not absolute   | {"name":"a","email":"a@example.com","postbackUrl":"/relative","method":"GET"}             | postbackUrl
					method             | {"name":"a","email":"a@example.com","postbackUrl":"https://x/y","method":"PUT"}           | method
					email              | {"name":"a","email":"nope","postbackUrl":"https://x/y","method":"GET"}                    | email
					name               | {"name":"","email":"a@example.com","postbackUrl":"https://x/y","method":"GET"}            | name
					timeout too small  | {"name":"a","email":"a@example.com","postbackUrl":"https://x/y","method":"GET","timeoutMs":5} | timeoutMs
					""")
	void invalidPartnerIsRefusedWithTheField(String rule, String body, String field) {
		HttpResponse<String> response = this.admin.call("POST", "/api/admin/partners", AdminClient.OPERATOR, body);

		assertThat(response.statusCode()).as(rule).isEqualTo(400);
		assertThat(response.body()).as(rule).contains(field);
	}

	@Test
	void previewShowsTheExactRequestWithoutSendingIt() {
		String id = this.admin
			.post("/api/admin/partners",
					partnerJson("preview", this.partner.url("/cb/{click_id}?s={status}&x={missing}"), "GET"))
			.get("id")
			.asString();

		JsonNode preview = this.admin.post("/api/admin/partners/" + id + "/preview",
				"{\"params\":{\"click_id\":\"a b\",\"status\":\"ok\",\"empty\":\"\"}}");

		assertThat(preview.get("method").asString()).isEqualTo("GET");
		assertThat(preview.get("url").asString()).isEqualTo(this.partner.url("/cb/a%20b?s=ok&x="));
		assertThat(preview.get("missingPlaceholders").findValuesAsString("missingPlaceholders")).isEmpty();
		assertThat(preview.get("missingPlaceholders").get(0).asString()).isEqualTo("missing");
		assertThat(preview.get("headers").get("X-Delivery-Attempt").asString()).isEqualTo("1");
		assertThat(this.partner.received()).isEmpty();
		assertThat(this.admin.call("POST", "/api/admin/partners/" + id + "/preview", AdminClient.OPERATOR, "{}")
			.statusCode()).isEqualTo(400);
	}

	@Test
	void sourceKeyIsShownOnceAndWorksAtIngestUntilRotated() {
		JsonNode created = this.admin.post("/api/admin/sources", "{\"name\":\"network-a\"}");
		String id = created.get("id").asString();
		String key = created.get("key").asString();
		assertThat(key).startsWith(created.get("keyPrefix").asString());

		JsonNode listed = this.admin.get("/api/admin/sources");
		assertThat(listed.toString()).doesNotContain(key).doesNotContain("keyHash");
		assertThat(stack.sendRaw(key, "click_id=src-1").statusCode()).isEqualTo(200);

		String rotated = this.admin.post("/api/admin/sources/" + id + "/rotate-key", null).get("key").asString();
		assertThat(rotated).isNotEqualTo(key);
		await().atMost(Duration.ofSeconds(5)).until(() -> stack.sendRaw(key, "click_id=src-2").statusCode() == 401);
		assertThat(stack.sendRaw(rotated, "click_id=src-3").statusCode()).isEqualTo(200);

		this.admin.post("/api/admin/sources/" + id + "/deactivate", null);
		await().atMost(Duration.ofSeconds(5)).until(() -> stack.sendRaw(rotated, "click_id=src-4").statusCode() == 401);
		assertThat(this.admin
			.call("POST", "/api/admin/sources", AdminClient.OPERATOR,
					"{\"name\":\"bad\",\"allowedIps\":[\"10.0.0.0/99\"]}")
			.statusCode()).isEqualTo(400);
	}

	@Test
	void logsAreFilteredAndPaged() {
		String partnerId = createPartner("logged", this.partner.url("/l"));
		String key = stack.createSource("logs-" + System.nanoTime());
		String first = stack.send(key, "click_id=log-1");
		String second = stack.send(key, "click_id=log-2");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.partner.received().size() >= 2);
		await().until(() -> stack.attempts(second).size() >= 1);

		JsonNode page = this.admin.get("/api/admin/partner-distribution-logs?partner_id=" + partnerId + "&limit=1");
		assertThat(page.get("total").asLong()).isEqualTo(2);
		assertThat(page.get("pages").asInt()).isEqualTo(2);
		assertThat(page.get("page").asInt()).isEqualTo(1);
		assertThat(page.get("logs")).hasSize(1);
		assertThat(page.get("logs").get(0).get("sourceLogId").asString()).isEqualTo(second);
		JsonNode last = this.admin
			.get("/api/admin/partner-distribution-logs?partner_id=" + partnerId + "&limit=1&page=2");
		assertThat(last.get("logs").get(0).get("sourceLogId").asString()).isEqualTo(first);
		assertThat(
				this.admin.get("/api/admin/partner-distribution-logs?partner_id=" + partnerId + "&page=9").get("logs"))
			.isEmpty();
		assertThat(this.admin.get("/api/admin/partner-distribution-logs?postback_id=" + first + "&success=true")
			.get("total")
			.asLong()).isEqualTo(1);
		assertThat(this.admin.get("/api/admin/partner-distribution-logs?postback_id=" + first + "&success=false")
			.get("total")
			.asLong()).isZero();
		assertThat(this.admin.get("/api/admin/partner-distribution-logs?postback_id=" + first + "&outcome=delivered")
			.get("total")
			.asLong()).isEqualTo(1);
		assertThat(this.admin.get("/api/admin/partner-distribution-logs?limit=5000").get("logs").size())
			.isLessThanOrEqualTo(200);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "page=0, page", "limit=0, limit", "hours=0, hours", "hours=100000, hours", "outcome=lost, outcome",
			"success=maybe, success", "limit=abc, limit" })
	void badListingParametersAre400(String query, String parameter) {
		HttpResponse<String> response = this.admin.call("GET", "/api/admin/partner-distribution-logs?" + query,
				AdminClient.VIEWER, null);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains(parameter);
	}

	@Test
	void receivedPostbacksAreListedAndShowTheirTimeline() {
		String partnerId = createPartner("timeline", this.partner.url("/t"));
		String key = stack.createSource("timeline-" + System.nanoTime());
		String id = stack.send(key, "click_id=tl-1&status=sale");
		await().atMost(Duration.ofSeconds(30)).until(() -> !stack.attempts(id).isEmpty());

		JsonNode list = this.admin.get("/api/admin/received-postbacks?click_id=tl-1&status=sale");
		assertThat(list.get("total").asLong()).isEqualTo(1);
		assertThat(list.get("postbacks").get(0).get("id").asString()).isEqualTo(id);
		JsonNode timeline = this.admin.get("/api/admin/received-postbacks/" + id);
		assertThat(timeline.get("postback").get("clickId").asString()).isEqualTo("tl-1");
		JsonNode delivery = timeline.get("deliveries").get(0);
		assertThat(delivery.get("partnerId").asString()).isEqualTo(partnerId);
		assertThat(delivery.get("outcome").asString()).isEqualTo("DELIVERED");
		assertThat(delivery.get("attempts")).hasSize(1);
		assertThat(this.admin.call("GET", "/api/admin/received-postbacks/nope", AdminClient.VIEWER, null).statusCode())
			.isEqualTo(404);
	}

	@Test
	void statusShowsTheRelayAtAGlance() {
		JsonNode status = this.admin.get("/api/diagnostic/partner-distribution-status");

		assertThat(status.has("activePartners")).isTrue();
		assertThat(status.has("postbacksLastHour")).isTrue();
		assertThat(status.get("latestPostbacks").isArray()).isTrue();
		assertThat(status.get("recentDistributionLogs").isArray()).isTrue();
		assertThat(status.has("deliverySuccessRateLastHour")).isTrue();
		assertThat(status.has("unpublishedBacklog")).isTrue();
		assertThat(status.has("openDeadLetters")).isTrue();
		assertThat(status.get("health").get("kafka").asString()).isEqualTo("UP");
		assertThat(status.get("health").get("mongodb").asString()).isEqualTo("UP");
	}

	@Test
	void testPostbackReachesEveryActivePartnerOrTheOneNamed() {
		try (TestPartner other = new TestPartner()) {
			String firstId = createPartner("test-a", this.partner.url("/a"));
			createPartner("test-b", other.url("/b"));

			String all = this.admin.post("/api/admin/test-distribution", "{}").get("id").asString();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.partner.received().size() == 1 && other.received().size() == 1);
			assertThat(this.partner.received().get(0).header("X-Postback-Id")).isEqualTo(all);
			assertThat(stack.find(CollectionNames.RECEIVED_POSTBACKS, all).getBoolean("test")).isTrue();

			this.admin.post("/api/admin/test-distribution", "{\"partner_id\":\"" + firstId + "\"}");
			ok(this.admin.call("GET", "/test-distribution-now?partner_id=" + firstId, AdminClient.OPERATOR, null));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.partner.received().size() == 3);
			assertThat(other.received()).hasSize(1);
			assertThat(this.admin
				.call("POST", "/api/admin/test-distribution", AdminClient.OPERATOR, "{\"partner_id\":\"missing\"}")
				.statusCode()).isEqualTo(404);
		}
	}

	@Test
	void deadLetterIsReplayedOnceAsAManualAttempt() {
		this.partner.answering((count) -> TestPartner.status((count == 1) ? 400 : 200));
		String partnerId = createPartner("replayed", this.partner.url("/r"));
		String key = stack.createSource("replay-" + System.nanoTime());
		String postbackId = stack.send(key, "click_id=dl-1");
		String deliveryId = DeliveryIds.of(postbackId, partnerId);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> stack.find(CollectionNames.DEAD_LETTERS, deliveryId) != null);

		JsonNode open = this.admin.get("/api/admin/dead-letters?status=OPEN&partner_id=" + partnerId);
		assertThat(open.get("total").asLong()).isEqualTo(1);
		JsonNode replayed = this.admin.post("/api/admin/dead-letters/" + deliveryId + "/replay", null);
		assertThat(replayed.get("status").asString()).isEqualTo("REPLAYED");
		assertThat(replayed.get("replayCount").asInt()).isEqualTo(1);
		assertThat(
				this.admin.call("POST", "/api/admin/dead-letters/" + deliveryId + "/replay", AdminClient.OPERATOR, null)
					.statusCode())
			.isEqualTo(409);
		assertThat(this.admin
			.call("POST", "/api/admin/dead-letters/" + deliveryId + "/discard", AdminClient.OPERATOR, null)
			.statusCode()).isEqualTo(409);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.partner.received().size() == 2);
		assertThat(this.partner.received().get(1).header("X-Delivery-Id")).isEqualTo(deliveryId);
		await().until(() -> stack.attempts(postbackId).size() == 2);
		Document manual = stack.attempts(postbackId).get(1);
		assertThat(manual.getString("origin")).isEqualTo("MANUAL");
		assertThat(manual.getString("outcome")).isEqualTo("DELIVERED");
	}

	@Test
	void bulkReplayQueuesEveryOpenDeadLetterOfAPartnerAndDiscardClosesOne() {
		this.partner.answering(422);
		String partnerId = createPartner("bulk", this.partner.url("/bulk"));
		String key = stack.createSource("bulk-" + System.nanoTime());
		List<String> ids = List.of(stack.send(key, "click_id=b-1"), stack.send(key, "click_id=b-2"),
				stack.send(key, "click_id=b-3"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ids.stream()
				.allMatch((id) -> stack.find(CollectionNames.DEAD_LETTERS, DeliveryIds.of(id, partnerId)) != null));

		String discarded = DeliveryIds.of(ids.get(2), partnerId);
		assertThat(this.admin.post("/api/admin/dead-letters/" + discarded + "/discard", null).get("status").asString())
			.isEqualTo("DISCARDED");
		this.partner.answering(200);
		JsonNode bulk = this.admin.post("/api/admin/dead-letters/replay", "{\"partner_id\":\"" + partnerId + "\"}");

		assertThat(bulk.get("queued").asInt()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.partner.received().size() == 5);
		assertThat(this.admin.post("/api/admin/dead-letters/replay", "{\"partner_id\":\"" + partnerId + "\"}")
			.get("queued")
			.asInt()).isZero();
	}

	private String createPartner(String name, String url) {
		String id = this.admin.post("/api/admin/partners", partnerJson(name, url, "GET")).get("id").asString();
		// the dispatcher re-reads partners every 200 ms in this stack
		await().pollDelay(Duration.ofMillis(500)).until(() -> true);
		return id;
	}

	private static String partnerJson(String name, String url, String method) {
		return """
				{"name":"%s","email":"%s@example.com","postbackUrl":"%s","method":"%s",
				 "signingSecret":"whsec_c2VjcmV0","timeoutMs":2000}
				""".formatted(name, name, url, method);
	}

	private JsonNode ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
		return this.admin.json(response);
	}

}
