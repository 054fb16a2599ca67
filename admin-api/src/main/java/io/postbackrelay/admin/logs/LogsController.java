package io.postbackrelay.admin.logs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.postbackrelay.admin.system.AdminProperties;
import io.postbackrelay.admin.system.BadRequest;
import io.postbackrelay.admin.system.NotFound;
import io.postbackrelay.admin.system.Paging;
import io.postbackrelay.admin.system.Views;
import io.postbackrelay.common.CollectionNames;
import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What was received and what was forwarded: the logs admins and the console page through.
 */
@RestController
class LogsController {

	private static final Set<String> OUTCOMES = Set.of("DELIVERED", "RETRY_SCHEDULED", "DEAD_LETTERED", "SKIPPED");

	private final MongoTemplate mongo;

	private final AdminProperties properties;

	private final Clock clock;

	LogsController(MongoTemplate mongo, AdminProperties properties, Clock clock) {
		this.mongo = mongo;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/api/admin/partner-distribution-logs")
	LogPage distributionLogs(@RequestParam(defaultValue = "24") int hours, @RequestParam(defaultValue = "1") int page,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) Boolean success,
			@RequestParam(name = "partner_id", required = false) String partnerId,
			@RequestParam(name = "postback_id", required = false) String postbackId,
			@RequestParam(required = false) String outcome) {
		Paging paging = Paging.of(page, limit, this.properties);
		Criteria criteria = Criteria.where("timestamp").gte(Paging.since(hours, this.properties, this.clock));
		if (success != null) {
			criteria.and("success").is(success);
		}
		if (partnerId != null && !partnerId.isBlank()) {
			criteria.and("partnerId").is(partnerId);
		}
		if (postbackId != null && !postbackId.isBlank()) {
			criteria.and("sourceLogId").is(postbackId);
		}
		if (outcome != null && !outcome.isBlank()) {
			String normalized = outcome.strip().toUpperCase();
			if (!OUTCOMES.contains(normalized)) {
				throw new BadRequest("outcome", "'outcome' must be one of " + OUTCOMES);
			}
			criteria.and("outcome").is(normalized);
		}
		Paging.Listing logs = paging.list(this.mongo, Query.query(criteria), CollectionNames.PARTNER_POSTBACK_LOGS,
				"timestamp");
		return new LogPage(logs.items(), logs.page(), logs.pages(), logs.total());
	}

	@GetMapping("/api/admin/received-postbacks")
	PostbackPage receivedPostbacks(@RequestParam(defaultValue = "24") int hours,
			@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(name = "source_id", required = false) String sourceId,
			@RequestParam(name = "click_id", required = false) String clickId,
			@RequestParam(required = false) String status) {
		Paging paging = Paging.of(page, limit, this.properties);
		Criteria criteria = Criteria.where("receivedAt").gte(Paging.since(hours, this.properties, this.clock));
		if (sourceId != null && !sourceId.isBlank()) {
			criteria.and("sourceId").is(sourceId);
		}
		if (clickId != null && !clickId.isBlank()) {
			criteria.and("clickId").is(clickId);
		}
		if (status != null && !status.isBlank()) {
			criteria.and("status").is(status);
		}
		Paging.Listing postbacks = paging.list(this.mongo, Query.query(criteria), CollectionNames.RECEIVED_POSTBACKS,
				"receivedAt");
		return new PostbackPage(postbacks.items(), postbacks.page(), postbacks.pages(), postbacks.total());
	}

	/**
	 * A postback with every delivery it caused and each delivery's attempts, oldest
	 * first, and the dead letter of a delivery that became one.
	 */
	@GetMapping("/api/admin/received-postbacks/{id}")
	Map<String, Object> timeline(@PathVariable String id) {
		Document postback = this.mongo.findById(id, Document.class, CollectionNames.RECEIVED_POSTBACKS);
		if (postback == null) {
			throw new NotFound("Postback " + id);
		}
		List<Document> attempts = this.mongo.find(
				Query.query(Criteria.where("sourceLogId").is(id)).with(Sort.by("timestamp")), Document.class,
				CollectionNames.PARTNER_POSTBACK_LOGS);
		Map<String, Map<String, Object>> deliveries = new LinkedHashMap<>();
		for (Document attempt : attempts) {
			Map<String, Object> delivery = deliveries.computeIfAbsent(attempt.getString("deliveryId"),
					(deliveryId) -> newDelivery(deliveryId, attempt));
			delivery.put("outcome", attempt.getString("outcome"));
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> list = (List<Map<String, Object>>) delivery.get("attempts");
			list.add(Views.of(attempt));
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("postback", Views.of(postback));
		view.put("deliveries", new ArrayList<>(deliveries.values()));
		return view;
	}

	private Map<String, Object> newDelivery(String deliveryId, Document attempt) {
		Map<String, Object> delivery = new LinkedHashMap<>();
		delivery.put("deliveryId", deliveryId);
		delivery.put("partnerId", attempt.getString("partnerId"));
		delivery.put("partnerName", attempt.getString("partnerName"));
		delivery.put("attempts", new ArrayList<Map<String, Object>>());
		Document deadLetter = this.mongo.findById(deliveryId, Document.class, CollectionNames.DEAD_LETTERS);
		delivery.put("deadLetter", (deadLetter != null)
				? Map.of("status", deadLetter.getString("status"), "replayCount", deadLetter.get("replayCount", 0))
				: null);
		return delivery;
	}

}
