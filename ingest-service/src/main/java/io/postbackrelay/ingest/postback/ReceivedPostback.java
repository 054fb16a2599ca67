package io.postbackrelay.ingest.postback;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.PostbackEvent;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

/**
 * A postback as stored in {@code received_postbacks}.
 *
 * @param id the postback id
 * @param sourceId id of the platform that sent it
 * @param sourceName name of that platform
 * @param params the original parameters plus {@code ip} and {@code timestamp}
 * @param clickId the click id
 * @param status the status, or {@code null}
 * @param payout the payout, or {@code null}
 * @param offerId the offer id, or {@code null}
 * @param transactionId the transaction id, or {@code null}
 * @param dedupeKey source + (transaction id, else click id) + status; unique
 * @param receivedAt when it arrived
 * @param published whether Kafka acknowledged it
 * @param publishedAt when it was marked published
 * @param test whether an admin sent it as a test
 */
@Document(CollectionNames.RECEIVED_POSTBACKS)
record ReceivedPostback(@Id String id, String sourceId, String sourceName, Map<String, String> params, String clickId,
		String status, @Field(targetType = FieldType.DECIMAL128) BigDecimal payout, String offerId,
		String transactionId, String dedupeKey, Instant receivedAt, boolean published, Instant publishedAt,
		boolean test) {

	PostbackEvent toEvent() {
		return new PostbackEvent(PostbackEvent.SCHEMA_VERSION, this.id, this.sourceId, this.sourceName, this.params,
				this.clickId, this.status, this.payout, this.offerId, this.transactionId, this.receivedAt, this.test,
				null);
	}

}
