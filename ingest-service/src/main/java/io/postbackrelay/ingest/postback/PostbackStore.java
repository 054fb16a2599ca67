package io.postbackrelay.ingest.postback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.GroupCommit;
import io.postbackrelay.ingest.system.IngestProperties;
import jakarta.annotation.PreDestroy;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Reads and writes {@code received_postbacks}. The unique index on {@code dedupeKey} is
 * what makes de-duplication hold under concurrent identical requests. Inserts are group
 * commits: concurrent requests' postbacks go to MongoDB in one unordered
 * {@code insertMany}, and each request learns whether its own was stored or a duplicate.
 */
@Component
class PostbackStore {

	private static final int DUPLICATE_KEY = 11000;

	private static final int MAX_BATCH = 256;

	private final MongoTemplate mongo;

	private final GroupCommit<RawBsonDocument, Written> inserts;

	private final Duration wait;

	PostbackStore(MongoTemplate mongo, IngestProperties properties) {
		this.mongo = mongo;
		this.inserts = new GroupCommit<>("postback-inserts", MAX_BATCH, this::insertAll);
		// time in the queue plus the write itself, whose driver time-outs are
		// mongoTimeout
		this.wait = properties.mongoTimeout().multipliedBy(2);
	}

	/**
	 * Stores a postback unless one with the same de-duplication key exists.
	 * @param postback the postback
	 * @return the id of the stored postback, or of the earlier one it repeats
	 */
	Stored insert(ReceivedPostback postback) {
		// encoded on the request's thread: the writer's thread, which serves every
		// request, only sends
		Written written = await(postback.toBson());
		if (written.failure() != null) {
			throw written.failure();
		}
		if (!written.duplicate()) {
			return new Stored(postback.id(), false);
		}
		ReceivedPostback first = this.mongo.findOne(Query.query(Criteria.where("dedupeKey").is(postback.dedupeKey())),
				ReceivedPostback.class);
		if (first == null) {
			throw new DuplicateKeyException("Postback " + postback.dedupeKey() + " is a duplicate of one not found");
		}
		return new Stored(first.id(), true);
	}

	private Written await(RawBsonDocument document) {
		try {
			return this.inserts.submit(document).get(this.wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause
					: new DataAccessResourceFailureException("Insert failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			// it may still be written; if so, the republisher publishes it
			throw new DataAccessResourceFailureException("MongoDB did not store the postback within " + this.wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DataAccessResourceFailureException("Interrupted while storing the postback");
		}
	}

	/**
	 * One unordered insert of a batch: every postback that is not a duplicate is stored
	 * even when others in the batch are.
	 */
	private List<Written> insertAll(List<RawBsonDocument> documents) {
		List<Written> results = new ArrayList<>(Collections.nCopies(documents.size(), Written.STORED));
		try {
			this.mongo.getCollection(CollectionNames.RECEIVED_POSTBACKS)
				.withDocumentClass(RawBsonDocument.class)
				.insertMany(documents, new InsertManyOptions().ordered(false));
		}
		catch (MongoBulkWriteException ex) {
			if (ex.getWriteConcernError() != null) {
				throw ex;
			}
			for (BulkWriteError error : ex.getWriteErrors()) {
				results.set(error.getIndex(), (error.getCode() == DUPLICATE_KEY) ? Written.DUPLICATE
						: new Written(false, new DataAccessResourceFailureException(error.getMessage())));
			}
		}
		return results;
	}

	@PreDestroy
	void close() {
		this.inserts.close();
	}

	/**
	 * Marks postbacks published: one unordered bulk write of an update by id each, built
	 * for the driver directly. (On MongoDB one update by {@code $in} would do as well,
	 * but the in-JVM server matches each document it finds against the whole list, under
	 * its collection's lock: in the benchmark's ingest ceiling, with 700 ids every 200
	 * ms, that took four fifths of the store's time and held back the inserts. Through
	 * {@code BulkOperations}, mapping the same query and update once per id took more of
	 * ingest's time than the write.)
	 * @param ids the postbacks' ids
	 * @param when when their publication was acknowledged
	 */
	void markPublished(Collection<String> ids, Instant when) {
		if (ids.isEmpty()) {
			return;
		}
		// rendered once: the driver would render a Bson update again for every model
		BsonDocument published = Updates
			.combine(Updates.set("published", true), Updates.set("publishedAt", Date.from(when)))
			.toBsonDocument();
		List<UpdateOneModel<Document>> marks = new ArrayList<>(ids.size());
		for (String id : ids) {
			marks.add(new UpdateOneModel<>(Filters.eq("_id", ReceivedPostback.storedId(id)), published));
		}
		this.mongo.getCollection(CollectionNames.RECEIVED_POSTBACKS)
			.bulkWrite(marks, new BulkWriteOptions().ordered(false));
	}

	List<ReceivedPostback> oldestUnpublished(Instant receivedBefore, int limit) {
		Query query = Query.query(Criteria.where("published").is(false).and("receivedAt").lt(receivedBefore))
			.with(Sort.by("receivedAt"))
			.limit(limit);
		return this.mongo.find(query, ReceivedPostback.class);
	}

	long countUnpublished(Instant receivedBefore) {
		return this.mongo.count(Query.query(Criteria.where("published").is(false).and("receivedAt").lt(receivedBefore)),
				ReceivedPostback.class);
	}

	/**
	 * The outcome of an insert.
	 *
	 * @param id the postback's id
	 * @param duplicate whether an earlier postback had the same key
	 */
	record Stored(String id, boolean duplicate) {
	}

	/**
	 * What happened to one postback of a batch.
	 */
	private record Written(boolean duplicate, RuntimeException failure) {

		static final Written STORED = new Written(false, null);

		static final Written DUPLICATE = new Written(true, null);

	}

}
