package io.postbackrelay.admin.testpostback;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.admin.system.AdminProperties;
import io.postbackrelay.admin.system.Conflict;
import io.postbackrelay.admin.system.NotFound;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.PostbackEvent;
import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sends a postback marked as a test through the real pipeline: stored like a received one
 * (so its timeline shows what each partner answered) and published to {@code postbacks}
 * for every active partner, or the one named. If Kafka does not take it, ingest's
 * republisher publishes it later, as for any stored postback.
 */
@RestController
class TestDistributionController {

	static final String TEST_SOURCE = "admin-test";

	private final MongoTemplate mongo;

	private final KafkaTemplate<String, Object> kafka;

	private final String topic;

	private final Clock clock;

	TestDistributionController(MongoTemplate mongo, KafkaTemplate<String, Object> kafka, AdminProperties properties,
			Clock clock) {
		this.mongo = mongo;
		this.kafka = kafka;
		this.topic = properties.topics().postbacks();
		this.clock = clock;
	}

	@PostMapping("/api/admin/test-distribution")
	Map<String, Object> send(@RequestBody(required = false) TestRequest request) {
		TestRequest test = (request != null) ? request : new TestRequest(null, null);
		return distribute(test.partnerId(), test.params());
	}

	/** The older tooling's GET form of the same call. */
	@GetMapping("/test-distribution-now")
	Map<String, Object> sendNow(@RequestParam(name = "partner_id", required = false) String partnerId) {
		return distribute(partnerId, null);
	}

	private Map<String, Object> distribute(String partnerId, Map<String, String> sample) {
		if (partnerId != null && !partnerId.isBlank()) {
			Document partner = this.mongo.findById(partnerId, Document.class, CollectionNames.PARTNERS);
			if (partner == null) {
				throw new NotFound("Partner " + partnerId);
			}
			if (!partner.getBoolean("active", false)) {
				throw new Conflict("Partner " + partnerId + " is inactive; activate it to send it a test");
			}
		}
		Instant now = this.clock.instant();
		String id = new ObjectId().toHexString();
		Map<String, String> params = new LinkedHashMap<>();
		params.put("click_id", "test-" + id);
		params.put("status", "test");
		params.put("payout", "0");
		if (sample != null) {
			params.putAll(sample);
		}
		params.put("ip", "127.0.0.1");
		params.put("timestamp", Long.toString(now.getEpochSecond()));
		store(id, params, now);
		PostbackEvent event = new PostbackEvent(PostbackEvent.SCHEMA_VERSION, id, TEST_SOURCE, "Admin test", params,
				params.get("click_id"), params.get("status"), null, params.get("offer_id"), null, now, true,
				(partnerId != null && !partnerId.isBlank()) ? partnerId : null);
		publish(id, event);
		return Map.of("id", id, "status", "queued", "test", true);
	}

	private void store(String id, Map<String, String> params, Instant now) {
		this.mongo.insert(new Document("_id", id).append("sourceId", TEST_SOURCE)
			.append("sourceName", "Admin test")
			.append("params", new Document(params))
			.append("clickId", params.get("click_id"))
			.append("status", params.get("status"))
			.append("offerId", params.get("offer_id"))
			.append("dedupeKey", TEST_SOURCE + "|" + id)
			.append("receivedAt", Date.from(now))
			.append("published", false)
			.append("test", true), CollectionNames.RECEIVED_POSTBACKS);
	}

	private void publish(String id, PostbackEvent event) {
		try {
			this.kafka.send(this.topic, id, event).get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			// stored and unpublished: ingest's republisher sends it when Kafka is back
			throw new KafkaException("Test postback " + id + " stored but not yet published: " + ex.getMessage(), ex);
		}
		this.mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
				new Update().set("published", true).set("publishedAt", this.clock.instant()),
				CollectionNames.RECEIVED_POSTBACKS);
	}

	/**
	 * A test postback to send.
	 *
	 * @param partnerId only this partner, or every active one when {@code null}
	 * @param params parameters to send besides the test defaults
	 */
	record TestRequest(@com.fasterxml.jackson.annotation.JsonProperty("partner_id") String partnerId,
			Map<String, String> params) {
	}

}
