package io.postbackrelay.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryIds;
import io.postbackrelay.common.DeliveryOrigin;
import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.dispatcher.delivery.LastAttempt;
import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.RelayStack;
import io.micrometer.core.instrument.MeterRegistry;
import io.postbackrelay.testing.TestPartner;
import io.postbackrelay.testing.TopicReader;
import io.postbackrelay.testing.RelayInfrastructure;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
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
 * End to end from {@code GET /postback/{key}} on the real ingest service, through a real
 * Kafka broker and MongoDB server, to partners that are real HTTP servers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, useMainMethod = UseMainMethod.ALWAYS,
		properties = { "relay.dispatcher.retry.backoff=1s,1s", "relay.dispatcher.retry.jitter=0",
				"relay.dispatcher.delivery.default-timeout=2s" })
@DirtiesContext
class DeliveryIntegrationTests {

	static final RelayStack pipeline = new RelayStack().startIngest(IngestApplication.application());

	static final String key = pipeline.createSource("acme");

	@DynamicPropertySource
	static void pipelineProperties(DynamicPropertyRegistry registry) {
		pipeline.properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterAll
	static void stopPipeline() {
		pipeline.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	ObjectMapper json;

	private final TestPartner partner = new TestPartner();

	@Autowired
	PartnerDirectory partners;

	@Autowired
	MeterRegistry meters;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@AfterEach
	void closePartner() {
		this.partner.close();
		// partners without rules match every postback: keep them out of the next test
		pipeline.deactivatePartners();
	}

	private String createPartner(String name, String url, String method, Document rules, Document extra) {
		String id = pipeline.createPartner(name, url, method, rules, extra);
		// the dispatcher re-reads partners every 200 ms here; wait until it knows this
		// one
		await().atMost(Duration.ofSeconds(5)).until(() -> this.partners.find(id).isPresent());
		return id;
	}

	@Test
	void getPartnerReceivesEveryNonEmptyParameterAppendedToItsQuery() {
		String partnerId = createPartner("get", this.partner.url("/pb?existing=1"), "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=abc&status=approved&payout=1.50&sub1=&aff=x%20y%26z");

		TestPartner.Received received = awaitRequests(this.partner, 1).get(0);
		assertThat(received.request().getMethod()).isEqualTo("GET");
		assertThat(received.request().getUrl().encodedPath()).isEqualTo("/pb");
		assertThat(received.query("existing")).isEqualTo("1");
		assertThat(received.query("click_id")).isEqualTo("abc");
		assertThat(received.query("status")).isEqualTo("approved");
		assertThat(received.query("payout")).isEqualTo("1.50");
		assertThat(received.query("aff")).isEqualTo("x y&z");
		assertThat(received.query("ip")).isEqualTo("127.0.0.1");
		assertThat(received.query("timestamp")).matches("\\d+");
		assertThat(received.request().getUrl().queryParameterNames()).doesNotContain("sub1");
		String deliveryId = DeliveryIds.of(postbackId, partnerId);
		assertThat(received.header("X-Postback-Id")).isEqualTo(postbackId);
		assertThat(received.header("X-Delivery-Id")).isEqualTo(deliveryId);
		assertThat(received.header("X-Delivery-Attempt")).isEqualTo("1");
		assertThat(received.header("User-Agent")).startsWith("PostbackRelay/");

		Document log = awaitAttempts(postbackId, 1).get(0);
		assertThat(log.getString("outcome")).isEqualTo("DELIVERED");
		assertThat(log.getBoolean("success")).isTrue();
		assertThat(log.getString("partnerId")).isEqualTo(partnerId);
		assertThat(log.getString("partnerName")).isEqualTo("get");
		assertThat(log.getString("partnerEmail")).isEqualTo("get@example.com");
		assertThat(log.getString("url")).isEqualTo(received.request().getUrl().toString());
		assertThat(log.getString("method")).isEqualTo("GET");
		assertThat(log.getInteger("httpStatus")).isEqualTo(200);
		assertThat(log.getString("responseBody")).isEqualTo("status 200");
		assertThat(log.get("responseTimeMs", Number.class).longValue()).isGreaterThanOrEqualTo(0);
		assertThat(log.getInteger("retryCount")).isZero();
		assertThat(log.getString("deliveryId")).isEqualTo(deliveryId);
		assertThat(log.getString("origin")).isEqualTo("SCHEDULED");
		assertThat(log.get("data", Document.class)).containsEntry("click_id", "abc").doesNotContainKey("sub1");
		assertThat(log.get("timestamp")).isNotNull();
	}

	@Test
	void postPartnerReceivesASignedJsonBody() {
		createPartner("post", this.partner.url("/hook?token=t"), "POST", null,
				new Document("signingSecret", "whsec_c2VjcmV0LWtleQ=="));

		String postbackId = pipeline.send(key, "click_id=p-1&status=sale&offer_id=9&empty=");

		TestPartner.Received received = awaitRequests(this.partner, 1).get(0);
		assertThat(received.request().getMethod()).isEqualTo("POST");
		assertThat(received.header("Content-Type")).startsWith("application/json");
		JsonNode body = this.json.readTree(received.body());
		assertThat(body.get("click_id").asString()).isEqualTo("p-1");
		assertThat(body.get("status").asString()).isEqualTo("sale");
		assertThat(body.get("offer_id").asString()).isEqualTo("9");
		assertThat(body.has("empty")).isFalse();
		String id = received.header("webhook-id");
		String timestamp = received.header("webhook-timestamp");
		assertThat(id).isEqualTo(received.header("X-Delivery-Id"));
		assertThat(received.header("webhook-signature"))
			.isEqualTo("v1," + hmac("secret-key", id + "." + timestamp + "." + received.body()));
		Document log = awaitAttempts(postbackId, 1).get(0);
		assertThat(log.getString("url")).isEqualTo(this.partner.url("/hook"));
		assertThat(log.getString("method")).isEqualTo("POST");
	}

	@Test
	void urlTemplateIsFilledWithEncodedValuesAndTheLogNamesMissingPlaceholders() {
		createPartner("template",
				this.partner.url("/cb/{click_id}?s={status}&pb={postback_id}&d={delivery_id}&n={attempt}&x={nope}"),
				"GET", null, null);

		String postbackId = pipeline.send(key, "click_id=a%2Fb%20c&status=ok%26more");

		TestPartner.Received received = awaitRequests(this.partner, 1).get(0);
		assertThat(received.request().getUrl().encodedPath()).isEqualTo("/cb/a%2Fb%20c");
		assertThat(received.query("s")).isEqualTo("ok&more");
		assertThat(received.query("pb")).isEqualTo(postbackId);
		assertThat(received.query("d")).isEqualTo(received.header("X-Delivery-Id"));
		assertThat(received.query("n")).isEqualTo("1");
		assertThat(received.query("x")).isEmpty();
		assertThat(received.query("click_id")).isNull();
		assertThat(awaitAttempts(postbackId, 1).get(0).getList("missingPlaceholders", String.class))
			.containsExactly("nope");
	}

	@Test
	void rulesSelectWhichPartnersReceiveAPostback() {
		try (TestPartner other = new TestPartner(); TestPartner third = new TestPartner()) {
			createPartner("approved-only", this.partner.url("/a"), "GET", new Document("statuses", List.of("APPROVED")),
					null);
			createPartner("offer-99", other.url("/b"), "GET", new Document("offerIds", List.of("99")), null);
			createPartner("other-source", third.url("/c"), "GET", new Document("sourceIds", List.of("src-elsewhere")),
					null);
			String inactive = createPartner("inactive", third.url("/d"), "GET", null, new Document("active", false));

			String postbackId = pipeline.send(key, "click_id=r-1&status=approved&offer_id=1");

			awaitRequests(this.partner, 1);
			await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
			assertThat(other.received()).isEmpty();
			assertThat(third.received()).isEmpty();
			assertThat(pipeline.attempts(postbackId)).extracting((log) -> log.getString("partnerName"))
				.containsExactly("approved-only")
				.doesNotContain(inactive);
		}
	}

	@Test
	void partnerClosingAKeptAliveConnectionDoesNotFailTheNextCall() throws Exception {
		// answers, then closes the connection without saying so, as a server closing an
		// idle keep-alive connection does
		this.partner.answering((count) -> new MockResponse.Builder().code(200)
			.body("ok")
			.onResponseEnd(new SocketEffect.CloseSocket(true, false, false))
			.build());
		createPartner("closing", this.partner.url("/c"), "GET", null, null);
		pipeline.send(key, "click_id=closing-1");
		awaitRequests(this.partner, 1);
		Thread.sleep(300);

		String postbackId = pipeline.send(key, "click_id=closing-2");

		awaitRequests(this.partner, 2);
		assertThat(awaitAttempts(postbackId, 1)).extracting((log) -> log.getString("outcome"))
			.containsExactly("DELIVERED");
	}

	@Test
	void partnerAnswering503ThenOkIsDeliveredOnRetryWithTheSameDeliveryId() {
		this.partner.answering((count) -> TestPartner.status((count == 1) ? 503 : 200));
		createPartner("flaky", this.partner.url("/f"), "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=retry-1");

		List<TestPartner.Received> received = awaitRequests(this.partner, 2);
		assertThat(received).extracting((r) -> r.header("X-Delivery-Attempt")).containsExactly("1", "2");
		assertThat(received).extracting((r) -> r.header("X-Delivery-Id"))
			.containsOnly(received.get(0).header("X-Delivery-Id"));
		List<Document> logs = awaitAttempts(postbackId, 2);
		assertThat(logs).extracting((log) -> log.getString("outcome")).containsExactly("RETRY_SCHEDULED", "DELIVERED");
		assertThat(logs).extracting((log) -> log.getInteger("retryCount")).containsExactly(0, 1);
		assertThat(logs.get(0).getInteger("httpStatus")).isEqualTo(503);
		assertThat(logs.get(0).getString("error")).contains("503");
		assertThat(logs).extracting((log) -> log.getString("deliveryId"))
			.containsOnly(logs.get(0).getString("deliveryId"));
	}

	@Test
	void manyDeliveriesWaitingInARetryTopicAreAllRetriedToTheirEnd() {
		// one partner, so every retried delivery waits in the same retry-topic partition
		// behind the first one that is not due yet; each must still come out of it
		this.partner.answering((count) -> TestPartner.status((count <= 40) ? 503 : 200));
		createPartner("outage", this.partner.url("/o"), "GET", null, null);

		List<String> postbackIds = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			postbackIds.add(pipeline.send(key, "click_id=outage-" + i));
		}

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			for (String postbackId : postbackIds) {
				assertThat(pipeline.attempts(postbackId)).extracting((log) -> log.getString("outcome"))
					.as("attempts of postback %s", postbackId)
					.containsAnyOf("DELIVERED", "DEAD_LETTERED");
			}
		});
		// every first attempt failed, so each came out of the retry topic at least once
		// (called or, with the partner's circuit open, refused without a call)
		for (String postbackId : postbackIds) {
			assertThat(pipeline.attempts(postbackId)).extracting((log) -> log.getInteger("attempt"))
				.as("attempts of postback %s", postbackId)
				.contains(1, 2);
		}
	}

	@Test
	void manyFailingDeliveriesGoRoundTheRetryTopicsToTheDeadLettersWithoutStalling() {
		// hundreds of records in each retry topic, most not due when polled: every one
		// must still come out at the end of the schedule
		// (four partners: their deliveries sit in different partitions, polled together)
		this.partner.answering(503);
		List<String> partnerIds = new ArrayList<>();
		for (int p = 0; p < 4; p++) {
			partnerIds.add(createPartner("down-" + p, this.partner.url("/d" + p), "GET", null, null));
		}

		List<String> postbackIds = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			postbackIds.add(pipeline.send(key, "click_id=down-" + i));
		}

		await().atMost(Duration.ofSeconds(90))
			.until(() -> pipeline.mongo()
				.getCollection("dead_letters")
				.countDocuments(new Document("partnerId", new Document("$in", partnerIds))) == 4L * postbackIds.size());
	}

	@Test
	void callOutlastingTheHoldIsHandedOnAndItsRetrySkipsTheCallWhenItDelivered() throws Exception {
		// answers after the hold (500 ms), within the timeout (2 s)
		this.partner.answering((count) -> slow(200));
		double handedOn = this.meters.counter("relay.delivery.handed.on.in.flight").count();
		String partnerId = createPartner("slow", this.partner.url("/slow"), "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=slow-1");
		String deliveryId = DeliveryIds.of(postbackId, partnerId);

		List<Document> logs = awaitAttempts(postbackId, 1);
		assertThat(logs.get(0).getString("outcome")).isEqualTo("DELIVERED");
		assertThat(this.meters.counter("relay.delivery.handed.on.in.flight").count()).isEqualTo(handedOn + 1);
		// its retry, due after the call's timeout plus the first pause (1 s), read that
		// log and called no one
		Thread.sleep(4000);
		assertThat(this.partner.received()).hasSize(1);
		assertThat(pipeline.attempts(postbackId)).hasSize(1);
		assertThat(pipeline.find(CollectionNames.DEAD_LETTERS, deliveryId)).isNull();
	}

	@Test
	void callOutlastingTheHoldThatFailsIsCalledAgainByItsRetry() {
		this.partner.answering((count) -> (count == 1) ? slow(503) : TestPartner.status(200));
		createPartner("slow-failing", this.partner.url("/sf"), "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=slow-2");

		List<TestPartner.Received> received = awaitRequests(this.partner, 2);
		assertThat(received).extracting((r) -> r.header("X-Delivery-Attempt")).containsExactly("1", "2");
		assertThat(awaitAttempts(postbackId, 2)).extracting((log) -> log.getString("outcome"))
			.containsExactly("RETRY_SCHEDULED", "DELIVERED");
	}

	@Test
	void callOutlastingTheHoldThatIsRejectedBecomesADeadLetter() {
		this.partner.answering((count) -> slow(400));
		String partnerId = createPartner("slow-rejecting", this.partner.url("/sr"), "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=slow-3");

		Document deadLetter = awaitDeadLetter(DeliveryIds.of(postbackId, partnerId));
		assertThat(deadLetter.getInteger("lastHttpStatus")).isEqualTo(400);
		assertThat(this.partner.received()).hasSize(1);
		assertThat(pipeline.attempts(postbackId)).extracting((log) -> log.getString("outcome"))
			.containsExactly("DEAD_LETTERED");
	}

	@Test
	void retryCallThatHangsHoldsItsRetryTopicOnlyForItsPartnersHold() throws Exception {
		// one consumer takes one record at a time from a retry topic: the retry of a
		// partner that now hangs must not keep the next partner's retry waiting for the
		// call's timeout (2 s)
		this.partner.answering((count) -> (count == 1) ? TestPartner.status(503) : hangingFor(Duration.ofSeconds(10)));
		try (TestPartner next = new TestPartner()) {
			next.answering((count) -> TestPartner.status((count == 1) ? 503 : 200));
			createPartner("hangs-on-retry", this.partner.url("/h"), "GET", new Document("statuses", List.of("hanging")),
					null);
			createPartner("retried-next", next.url("/n"), "GET", new Document("statuses", List.of("next")), null);

			pipeline.send(key, "click_id=hr-1&status=hanging");
			awaitRequests(this.partner, 1);
			// the next partner's retry then falls due while the hanging one's call is in
			// flight, whichever partitions the two are in
			Thread.sleep(300);
			pipeline.send(key, "click_id=hr-2&status=next");

			List<TestPartner.Received> calls = awaitRequests(next, 2);
			List<TestPartner.Received> hanging = awaitRequests(this.partner, 2);
			assertThat(hanging.get(1).nanoTime()).isLessThan(calls.get(1).nanoTime());
			// its pause is 1 s; behind the hanging call it was 2.7-3 s
			assertThat(Duration.ofNanos(calls.get(1).nanoTime() - calls.get(0).nanoTime()))
				.isLessThan(Duration.ofMillis(1900));
		}
	}

	private static MockResponse hangingFor(Duration delay) {
		return new MockResponse.Builder().code(503).headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS).build();
	}

	private static MockResponse slow(int status) {
		return new MockResponse.Builder().code(status)
			.body("status " + status)
			.headersDelay(1200, TimeUnit.MILLISECONDS)
			.build();
	}

	@Test
	void partnerRejectingWith400IsDeadLetteredAtOnce() {
		this.partner.answering(400);
		String partnerId = createPartner("rejecting", this.partner.url("/r"), "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=bad-1");

		Document deadLetter = awaitDeadLetter(DeliveryIds.of(postbackId, partnerId));
		assertThat(deadLetter.getString("status")).isEqualTo("OPEN");
		assertThat(deadLetter.getInteger("lastHttpStatus")).isEqualTo(400);
		assertThat(deadLetter.getString("lastError")).contains("400");
		assertThat(deadLetter.getInteger("attempts")).isEqualTo(1);
		assertThat(deadLetter.getInteger("replayCount")).isZero();
		assertThat(deadLetter.get("task", Document.class).getString("postbackId")).isEqualTo(postbackId);
		assertThat(this.partner.received()).hasSize(1);
		assertThat(pipeline.attempts(postbackId)).extracting((log) -> log.getString("outcome"))
			.containsExactly("DEAD_LETTERED");
	}

	@Test
	void partnerThatAlwaysFailsIsDeadLetteredAfterTheSchedule() {
		this.partner.answering(500);
		String partnerId = createPartner("broken", this.partner.url("/x"), "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=broken-1");

		Document deadLetter = awaitDeadLetter(DeliveryIds.of(postbackId, partnerId));
		assertThat(deadLetter.getInteger("attempts")).isEqualTo(3);
		assertThat(deadLetter.getInteger("lastHttpStatus")).isEqualTo(500);
		assertThat(this.partner.received()).hasSize(3);
		List<Document> attempts = pipeline.attempts(postbackId);
		assertThat(attempts).extracting((log) -> log.getString("outcome"))
			.containsExactly("RETRY_SCHEDULED", "RETRY_SCHEDULED", "DEAD_LETTERED");
		// the dead letter's record names the last attempt's log, which the handler read
		try (TopicReader deadLetters = new TopicReader(kafka(), pipeline.deliveriesTopic() + "-dlt")) {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(deadLetters.poll())
					.filteredOn((record) -> record.value().contains(deadLetter.getString("_id")))
					.extracting(LastAttempt::of)
					.containsExactly(attempts.get(2).getObjectId("_id")));
		}
	}

	@Test
	void deadLetterTakesItsLastErrorFromTheAttemptLogItsRecordNames() throws Exception {
		// found by its id: the log below names another delivery, so a search by this
		// delivery's id would find nothing
		String postbackId = "pb-" + UUID.randomUUID();
		DeliveryTask task = new DeliveryTask(DeliveryTask.SCHEMA_VERSION, DeliveryIds.of(postbackId, "named"),
				postbackId, "named", "src-acme", "acme", Map.of("click_id", "named-1"), Instant.now(), false,
				DeliveryOrigin.SCHEDULED, 0);
		ObjectId logId = new ObjectId();
		pipeline.mongo()
			.getCollection(CollectionNames.PARTNER_POSTBACK_LOGS)
			.insertOne(new Document("_id", logId).append("deliveryId", "another delivery")
				.append("error", "Partner answered HTTP 502")
				.append("httpStatus", 502)
				.append("attempt", 3)
				.append("timestamp", new Date()));
		ProducerRecord<String, String> record = new ProducerRecord<>(pipeline.deliveriesTopic() + "-dlt", "named",
				this.json.writeValueAsString(task));
		record.headers().add(LastAttempt.HEADER, logId.toHexString().getBytes(StandardCharsets.UTF_8));

		produce(record);

		Document deadLetter = awaitDeadLetter(task.deliveryId());
		assertThat(deadLetter.getString("lastError")).isEqualTo("Partner answered HTTP 502");
		assertThat(deadLetter.getInteger("lastHttpStatus")).isEqualTo(502);
		assertThat(deadLetter.getInteger("attempts")).isEqualTo(3);
	}

	@Test
	void invalidPartnerUrlIsDeadLetteredWithTheReason() {
		String partnerId = createPartner("no-url", "ftp://example.com/x", "GET", null, null);

		String postbackId = pipeline.send(key, "click_id=ftp-1");

		Document deadLetter = awaitDeadLetter(DeliveryIds.of(postbackId, partnerId));
		assertThat(deadLetter.getString("lastError")).contains("Invalid partner URL");
	}

	@Test
	void deliveryToAPartnerDeactivatedSinceTheFanOutIsSkipped() {
		String partnerId = createPartner("gone", this.partner.url("/g"), "GET", null, new Document("active", false));
		String postbackId = "pb-" + UUID.randomUUID();
		DeliveryTask task = new DeliveryTask(DeliveryTask.SCHEMA_VERSION, DeliveryIds.of(postbackId, partnerId),
				postbackId, partnerId, "src-acme", "acme", Map.of("click_id", "gone-1"), Instant.now(), false,
				DeliveryOrigin.SCHEDULED, 0);

		produce(pipeline.deliveriesTopic(), partnerId, this.json.writeValueAsString(task));

		Document log = awaitAttempts(postbackId, 1).get(0);
		assertThat(log.getString("outcome")).isEqualTo("SKIPPED");
		assertThat(log.getString("error")).contains("inactive or deleted");
		assertThat(this.partner.received()).isEmpty();
	}

	@Test
	void unparseableRecordsGoToADeadLetterTopicAndTheNextRecordsAreStillDelivered() {
		createPartner("after-garbage", this.partner.url("/ok"), "GET", null, null);
		produce(pipeline.postbacksTopic(), "garbage-1", "{not json");
		produce(pipeline.deliveriesTopic(), "garbage-2", "[1,2,3");

		pipeline.send(key, "click_id=after-garbage");

		awaitRequests(this.partner, 1);
		try (TopicReader postbacksDlt = new TopicReader(kafka(), pipeline.postbacksTopic() + "-dlt");
				TopicReader deliveriesDlt = new TopicReader(kafka(), pipeline.deliveriesTopic() + "-dlt")) {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(postbacksDlt.valuesOf("garbage-1")).containsExactly("{not json");
				assertThat(deliveriesDlt.valuesOf("garbage-2")).containsExactly("[1,2,3");
			});
		}
		assertThat(scrape()).contains("relay_records_unparseable_total");
	}

	@Test
	void deliveryConsumersPollAgainWithin10MsAndCommitWithoutWaiting() {
		// an acknowledgement's wake-up can be spent on a commit; the paused poll then
		// waits this long (spring-kafka's default, 100 ms, made the median delivery delay
		// 60 ms at 20 postbacks/s in the benchmark, 3 ms with 10 ms)
		List<MessageListenerContainer> deliveries = this.listeners.getListenerContainers()
			.stream()
			.filter((container) -> Arrays.stream(container.getContainerProperties().getTopics())
				.anyMatch((topic) -> topic.startsWith("deliveries")))
			.toList();
		assertThat(deliveries).extracting(MessageListenerContainer::getListenerId)
			.contains("deliveries", "deliveries-retry-0", "deliveries-retry-1");
		assertThat(deliveries)
			.allSatisfy((container) -> assertThat(container.getContainerProperties().getPollTimeoutWhilePaused())
				.isEqualTo(Duration.ofMillis(10)));
		// a synchronous commit after every acknowledged poll made the median delivery
		// wait 23 ms at 100 postbacks/s in the benchmark, 3 ms without; no delivery is
		// lost over a restart either way (RestartIntegrationTests)
		assertThat(deliveries)
			.allSatisfy((container) -> assertThat(container.getContainerProperties().isSyncCommits()).isFalse());
	}

	@Test
	void metricsShowDeliveriesByPartnerAndOutcome() {
		createPartner("measured", this.partner.url("/m"), "GET", null, null);
		pipeline.send(key, "click_id=metrics-1");
		awaitRequests(this.partner, 1);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(scrape()).contains(
					"relay_deliveries_total{application=\"dispatcher-service\",outcome=\"delivered\",partner=\"measured\"}")
				.contains("relay_delivery_attempt_seconds_bucket")
				.contains("relay_delivery_delay_seconds_bucket")
				.contains("relay_partner_inflight{application=\"dispatcher-service\",partner=\"measured\"}")
				.contains("relay_partner_circuit_state")
				.contains("spring_kafka_listener_seconds")
				// the driver's pool metrics, but not its per-command timers (off on this
				// hot path)
				.contains("mongodb_driver_pool_size")
				.doesNotContain("mongodb_driver_commands"));
	}

	private String scrape() {
		try {
			return java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String kafka() {
		return RelayInfrastructure.endpoints().kafkaBootstrap();
	}

	private static void produce(String topic, String key, String value) {
		produce(new ProducerRecord<>(topic, key, value));
	}

	private static void produce(ProducerRecord<String, String> record) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka()),
				new StringSerializer(), new StringSerializer())) {
			producer.send(record);
		}
	}

	private static List<TestPartner.Received> awaitRequests(TestPartner partner, int count) {
		await().atMost(Duration.ofSeconds(30)).until(() -> partner.received().size() >= count);
		return partner.received();
	}

	private static List<Document> awaitAttempts(String postbackId, int count) {
		await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.attempts(postbackId).size() >= count);
		return pipeline.attempts(postbackId);
	}

	private static Document awaitDeadLetter(String deliveryId) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> pipeline.find(CollectionNames.DEAD_LETTERS, deliveryId) != null);
		return pipeline.find(CollectionNames.DEAD_LETTERS, deliveryId);
	}

	private static String hmac(String key, String content) {
		try {
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
					"HmacSHA256"));
			return java.util.Base64.getEncoder()
				.encodeToString(mac.doFinal(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
