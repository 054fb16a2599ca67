package io.postbackrelay.dispatcher.delivery;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.types.ObjectId;

/**
 * The header naming the log of the attempt that handed a delivery on. Every record
 * {@link RetryHandOff} sends to a retry topic or the dead-letter topic carries it, so the
 * dead-letter handler reads the last attempt's log by its id rather than looking for the
 * delivery's newest log (which the embedded store answers by scanning every attempt log,
 * holding the collection's lock while it does).
 */
public final class LastAttempt {

	/**
	 * The header's name; its value is the log id (the attempt may have left no log).
	 */
	public static final String HEADER = "relay-last-attempt";

	private LastAttempt() {
	}

	/**
	 * The log id a record names.
	 * @param record a record handed on
	 * @return the log id, or {@code null} when the record names none (handed on by
	 * spring-kafka itself, or before this header existed)
	 */
	public static ObjectId of(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader(HEADER);
		if (header == null || header.value() == null) {
			return null;
		}
		String id = new String(header.value(), StandardCharsets.UTF_8);
		return ObjectId.isValid(id) ? new ObjectId(id) : null;
	}

	static byte[] value(String attemptId) {
		return attemptId.getBytes(StandardCharsets.UTF_8);
	}

}
