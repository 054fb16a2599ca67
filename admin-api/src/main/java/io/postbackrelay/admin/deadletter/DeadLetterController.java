package io.postbackrelay.admin.deadletter;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.postbackrelay.admin.system.AdminProperties;
import io.postbackrelay.admin.system.BadRequest;
import io.postbackrelay.admin.system.Paging;
import io.postbackrelay.admin.system.Views;
import io.postbackrelay.common.CollectionNames;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/admin/dead-letters}: list, replay one, discard one, replay many.
 */
@RestController
class DeadLetterController {

	private static final Set<String> STATUSES = Set.of("OPEN", "REPLAYED", "DISCARDED");

	private static final int MAX_BULK = 10_000;

	private final MongoTemplate mongo;

	private final Replays replays;

	private final AdminProperties properties;

	private final Clock clock;

	DeadLetterController(MongoTemplate mongo, Replays replays, AdminProperties properties, Clock clock) {
		this.mongo = mongo;
		this.replays = replays;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/api/admin/dead-letters")
	Map<String, Object> list(@RequestParam(required = false) String status,
			@RequestParam(name = "partner_id", required = false) String partnerId,
			@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "50") int limit) {
		Paging paging = Paging.of(page, limit, this.properties);
		Criteria criteria = new Criteria();
		if (status != null && !status.isBlank()) {
			String normalized = status.strip().toUpperCase();
			if (!STATUSES.contains(normalized)) {
				throw new BadRequest("status", "'status' must be one of " + STATUSES);
			}
			criteria.and("status").is(normalized);
		}
		if (partnerId != null && !partnerId.isBlank()) {
			criteria.and("partnerId").is(partnerId);
		}
		Paging.Listing letters = paging.list(this.mongo, Query.query(criteria), CollectionNames.DEAD_LETTERS, "deadAt");
		return Map.of("deadLetters", letters.items(), "page", letters.page(), "pages", letters.pages(), "total",
				letters.total());
	}

	@PostMapping("/api/admin/dead-letters/{id}/replay")
	Map<String, Object> replay(@PathVariable String id) {
		return Views.of(this.replays.replay(id));
	}

	@PostMapping("/api/admin/dead-letters/{id}/discard")
	Map<String, Object> discard(@PathVariable String id) {
		return Views.of(this.replays.discard(id));
	}

	/**
	 * Replays every open dead letter that matches: a partner, a time range of
	 * {@code deadAt}, or both.
	 */
	@PostMapping("/api/admin/dead-letters/replay")
	Map<String, Object> replayMany(@RequestBody(required = false) BulkReplay filter) {
		BulkReplay bulk = (filter != null) ? filter : new BulkReplay(null, null, null);
		Criteria criteria = Criteria.where("status").is("OPEN");
		if (bulk.partnerId() != null && !bulk.partnerId().isBlank()) {
			criteria.and("partnerId").is(bulk.partnerId());
		}
		if (bulk.from() != null || bulk.to() != null) {
			Criteria deadAt = criteria.and("deadAt");
			if (bulk.from() != null) {
				deadAt.gte(bulk.from());
			}
			if (bulk.to() != null) {
				deadAt.lte(bulk.to());
			}
		}
		if (bulk.from() != null && bulk.to() != null && bulk.from().isAfter(bulk.to())) {
			throw new BadRequest("from", "'from' must not be after 'to'");
		}
		Query query = Query.query(criteria).limit(MAX_BULK);
		query.fields().include("_id");
		int queued = 0;
		for (Document letter : this.mongo.find(query, Document.class, CollectionNames.DEAD_LETTERS)) {
			if (this.replays.replayIfOpen(letter.getString("_id"))) {
				queued++;
			}
		}
		return Map.of("queued", queued, "at", this.clock.instant());
	}

	/**
	 * Which dead letters to replay.
	 *
	 * @param partnerId only this partner's
	 * @param from dead at or after this time
	 * @param to dead at or before this time
	 */
	record BulkReplay(@com.fasterxml.jackson.annotation.JsonProperty("partner_id") String partnerId, Instant from,
			Instant to) {
	}

}
