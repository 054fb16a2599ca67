package io.postbackrelay.dispatcher.delivery;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.postbackrelay.common.DeliveryTask;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code deliveries} and its retry topics. It returns a future rather than
 * blocking, so one slow partner's calls do not hold up the records behind them; a failed
 * delivery is handed on to the next retry topic or the dead-letter topic
 * ({@link RetryHandOff}) before its future completes. Its consumer group is the fan-out's
 * with a {@code -deliveries} suffix, so the two never rebalance each other.
 */
@Component
class DeliveryListener {

	/** Listener id, also the prefix of its retry containers' ids. */
	static final String ID = "deliveries";

	private final DeliveryService deliveries;

	private final RetryHandOff retries;

	DeliveryListener(DeliveryService deliveries, RetryHandOff retries) {
		this.deliveries = deliveries;
		this.retries = retries;
	}

	@KafkaListener(id = ID, topics = "${relay.dispatcher.topics.deliveries:deliveries}",
			groupId = "${spring.kafka.consumer.group-id:dispatcher}-deliveries",
			concurrency = "${relay.dispatcher.delivery-concurrency:3}",
			properties = { "spring.json.value.default.type=io.postbackrelay.common.DeliveryTask",
					"max.poll.records=${relay.dispatcher.delivery-poll-records:100}" })
	CompletableFuture<Void> deliver(ConsumerRecord<String, DeliveryTask> record) {
		return this.deliveries.deliver(record.value(), attempt(record))
			.exceptionallyCompose((failure) -> this.retries.forward(record, cause(failure)));
	}

	private static Exception cause(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return (cause instanceof Exception exception) ? exception : new CompletionException(cause);
	}

	/**
	 * The attempt a record is, from the retry-topic header (absent on the first attempt).
	 */
	static int attempt(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader(RetryTopicHeaders.DEFAULT_HEADER_ATTEMPTS);
		if (header == null || header.value() == null) {
			return 1;
		}
		byte[] value = header.value();
		if (value.length == Integer.BYTES) {
			return Math.max(1, ByteBuffer.wrap(value).getInt());
		}
		return (value.length == 1) ? Math.max(1, Byte.toUnsignedInt(value[0])) : 1;
	}

}
