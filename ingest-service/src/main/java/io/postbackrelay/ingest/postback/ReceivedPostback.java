package io.postbackrelay.ingest.postback;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.PostbackEvent;
import org.bson.BsonBinaryWriter;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

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

	/**
	 * The document as Spring Data's converter writes this record (an ObjectId {@code _id}
	 * when the id is one, {@code Decimal128} payout, millisecond dates, no {@code null}
	 * fields), but without its {@code _class} hint, which nothing reads. Encoded here, on
	 * the request's thread: the converter and the driver's codecs held about a quarter of
	 * ingest's samples in a profile, and this cut its CPU per postback by about a tenth
	 * (docs/performance-history.md, item 17).
	 * @return the document, encoded
	 */
	RawBsonDocument toBson() {
		BasicOutputBuffer buffer = new BasicOutputBuffer(512);
		try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
			writer.writeStartDocument();
			if (storedId(this.id) instanceof ObjectId objectId) {
				writer.writeObjectId("_id", objectId);
			}
			else {
				writeString(writer, "_id", this.id);
			}
			writeString(writer, "sourceId", this.sourceId);
			writeString(writer, "sourceName", this.sourceName);
			writeParams(writer, this.params);
			writeString(writer, "clickId", this.clickId);
			writeString(writer, "status", this.status);
			if (this.payout != null) {
				writer.writeDecimal128("payout", new Decimal128(this.payout));
			}
			writeString(writer, "offerId", this.offerId);
			writeString(writer, "transactionId", this.transactionId);
			writeString(writer, "dedupeKey", this.dedupeKey);
			writeDate(writer, "receivedAt", this.receivedAt);
			writer.writeBoolean("published", this.published);
			writeDate(writer, "publishedAt", this.publishedAt);
			writer.writeBoolean("test", this.test);
			writer.writeEndDocument();
		}
		return new RawBsonDocument(buffer.toByteArray());
	}

	/**
	 * A postback id as it is stored, as Spring Data stores one: an ObjectId when the
	 * string is one.
	 * @param id the postback id
	 * @return the stored {@code _id}
	 */
	static Object storedId(String id) {
		return (id != null && ObjectId.isValid(id)) ? new ObjectId(id) : id;
	}

	private static void writeParams(BsonBinaryWriter writer, Map<String, String> params) {
		if (params == null) {
			return;
		}
		writer.writeStartDocument("params");
		params.forEach((name, value) -> {
			if (value != null) {
				writer.writeString(name, value);
			}
			else {
				writer.writeNull(name);
			}
		});
		writer.writeEndDocument();
	}

	private static void writeString(BsonBinaryWriter writer, String name, String value) {
		if (value != null) {
			writer.writeString(name, value);
		}
	}

	private static void writeDate(BsonBinaryWriter writer, String name, Instant value) {
		if (value != null) {
			writer.writeDateTime(name, value.toEpochMilli());
		}
	}

	PostbackEvent toEvent() {
		return new PostbackEvent(PostbackEvent.SCHEMA_VERSION, this.id, this.sourceId, this.sourceName, this.params,
				this.clickId, this.status, this.payout, this.offerId, this.transactionId, this.receivedAt, this.test,
				null);
	}

}
