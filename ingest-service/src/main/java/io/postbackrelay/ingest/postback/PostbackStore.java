package io.postbackrelay.ingest.postback;

import java.util.Collection;
import java.util.List;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Reads and writes {@code received_postbacks}. The unique index on {@code dedupeKey} is
 * what makes de-duplication hold under concurrent identical requests.
 */
@Component
class PostbackStore {

	private final MongoTemplate mongo;

	PostbackStore(MongoTemplate mongo) {
		this.mongo = mongo;
	}

	/**
	 * Stores a postback unless one with the same de-duplication key exists.
	 * @param postback the postback
	 * @return the id of the stored postback, or of the earlier one it repeats
	 */
	Stored insert(ReceivedPostback postback) {
		try {
			this.mongo.insert(postback);
			return new Stored(postback.id(), false);
		}
		catch (DuplicateKeyException ex) {
			ReceivedPostback first = this.mongo
				.findOne(Query.query(Criteria.where("dedupeKey").is(postback.dedupeKey())), ReceivedPostback.class);
			if (first == null) {
				throw ex;
			}
			return new Stored(first.id(), true);
		}
	}

	void markPublished(Collection<String> ids, Instant when) {
		if (!ids.isEmpty()) {
			this.mongo.updateMulti(Query.query(Criteria.where("_id").in(ids)),
					new Update().set("published", true).set("publishedAt", when), ReceivedPostback.class);
		}
	}

	List<ReceivedPostback> oldestUnpublished(Instant receivedBefore, int limit) {
		Query query = Query.query(Criteria.where("published").is(false).and("receivedAt").lt(receivedBefore))
			.with(Sort.by("receivedAt"))
			.limit(limit);
		return this.mongo.find(query, ReceivedPostback.class);
	}

	long countUnpublished() {
		return this.mongo.count(Query.query(Criteria.where("published").is(false)), ReceivedPostback.class);
	}

	/**
	 * The outcome of an insert.
	 *
	 * @param id the postback's id
	 * @param duplicate whether an earlier postback had the same key
	 */
	record Stored(String id, boolean duplicate) {
	}

}
