package io.postbackrelay.dispatcher.delivery;

import java.util.concurrent.CompletableFuture;

import io.postbackrelay.common.CollectionNames;
import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads how an attempt handed on to the next retry topic while its call was in flight
 * ended, from its log (looked up by id, so by the primary key).
 */
@Component
class HandedOnAttempts {

	private final MongoTemplate mongo;

	HandedOnAttempts(MongoTemplate mongo) {
		this.mongo = mongo;
	}

	/**
	 * What the attempt ended the delivery with.
	 * @param attemptId the handed-on attempt's log id
	 * @return completed when it delivered (or the partner was gone), failed with a
	 * {@link PermanentDeliveryFailure} when the partner refused it for good, {@code null}
	 * (call again) when it failed or left no log
	 */
	CompletableFuture<Void> endOf(String attemptId) {
		Document earlier = ObjectId.isValid(attemptId)
				? this.mongo.findById(new ObjectId(attemptId), Document.class, CollectionNames.PARTNER_POSTBACK_LOGS)
				: null;
		String outcome = (earlier != null) ? earlier.getString("outcome") : null;
		if (DeliveryOutcome.DELIVERED.name().equals(outcome) || DeliveryOutcome.SKIPPED.name().equals(outcome)) {
			return CompletableFuture.completedFuture(null);
		}
		if (DeliveryOutcome.DEAD_LETTERED.name().equals(outcome)) {
			return CompletableFuture.failedFuture(new PermanentDeliveryFailure(earlier.getString("error")));
		}
		return null;
	}

}
