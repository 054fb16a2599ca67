package io.postbackrelay.dispatcher.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.dispatcher.system.DispatcherProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.types.ObjectId;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code deliveries} and its retry topics. It returns a future rather than
 * blocking, so one slow partner's calls do not hold up the records behind them; a failed
 * delivery is handed on to the next retry topic or the dead-letter topic
 * ({@link RetryHandOff}) before its future completes. Its consumer group is the fan-out's
 * with a {@code -deliveries} suffix, so the two never rebalance each other.
 * <p>
 * A consumer polls again only when every record of its last poll is done, so one call
 * that hangs would hold up every partner polled with it until its timeout. A first
 * attempt therefore holds its record at most {@code relay.dispatcher.delivery.hold}: a
 * call still in flight then is handed to the retry topics as well, due after the call's
 * timeout, and that retry calls the partner only if the attempt's log shows it did not
 * end the delivery. While a partner has calls in flight that outlasted the hold, its new
 * calls are handed on at once and hold no poll.
 */
@Component
class DeliveryListener {

	/** Listener id, also the prefix of its retry containers' ids. */
	static final String ID = "deliveries";

	/** Header naming the log of an attempt handed on while its call was in flight. */
	static final String IN_FLIGHT_ATTEMPT = "relay-in-flight-attempt";

	private final DeliveryService deliveries;

	private final RetryHandOff retries;

	private final DispatchMetrics metrics;

	private final Executor afterHold;

	/** Per partner, its calls in flight that outlasted the hold. */
	private final Map<String, Integer> outlasting = new ConcurrentHashMap<>();

	DeliveryListener(DeliveryService deliveries, RetryHandOff retries, DispatchMetrics metrics, DeliveryTimers timers,
			DispatcherProperties properties) {
		this.deliveries = deliveries;
		this.retries = retries;
		this.metrics = metrics;
		Duration hold = properties.delivery().hold();
		// without retries there is nowhere to hand a call on to
		this.afterHold = (hold.isZero() || properties.retry().backoff().isEmpty()) ? null : timers.after(hold);
	}

	@KafkaListener(id = ID, topics = "${relay.dispatcher.topics.deliveries:deliveries}",
			groupId = "${spring.kafka.consumer.group-id:dispatcher}-deliveries",
			concurrency = "${relay.dispatcher.delivery-concurrency:3}",
			properties = { "spring.json.value.default.type=io.postbackrelay.common.DeliveryTask",
					"max.poll.records=${relay.dispatcher.delivery-poll-records:100}" })
	CompletableFuture<Void> deliver(ConsumerRecord<String, DeliveryTask> record) {
		int attempt = attempt(record);
		String attemptId = new ObjectId().toHexString();
		long started = System.nanoTime();
		DeliveryService.Delivery delivery = this.deliveries.deliver(record.value(), attempt, attemptId,
				handedOn(record));
		if (attempt > 1 || this.afterHold == null || delivery.call().isDone()) {
			return delivery.done().exceptionallyCompose((failure) -> this.retries.forward(record, cause(failure)));
		}
		// a partner with calls outlasting the hold right now holds no poll at all
		boolean slowNow = this.outlasting.getOrDefault(record.value().partnerId(), 0) > 0;
		return heldAtMost(record, delivery, attemptId, started, slowNow ? Runnable::run : this.afterHold);
	}

	private CompletableFuture<Void> heldAtMost(ConsumerRecord<String, DeliveryTask> record,
			DeliveryService.Delivery delivery, String attemptId, long started, Executor hold) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		AtomicBoolean decided = new AtomicBoolean();
		delivery.done().whenComplete((ignored, failure) -> {
			if (decided.compareAndSet(false, true)) {
				CompletableFuture<Void> next = (failure != null) ? this.retries.forward(record, cause(failure))
						: CompletableFuture.completedFuture(null);
				propagate(next, done);
			}
			// otherwise handed on already: its retry reads this attempt's log
		});
		hold.execute(() -> {
			// only the call counts: an attempt whose call ended waits for its log
			if (!delivery.call().isDone() && decided.compareAndSet(false, true)) {
				outlasting(record.value().partnerId(), delivery.call());
				Duration callLeft = delivery.callTimeout().minusNanos(System.nanoTime() - started);
				this.metrics.handedOnInFlight();
				propagate(this.retries.forward(record,
						new StillInFlight(attemptId, callLeft.isNegative() ? Duration.ZERO : callLeft)), done);
			}
		});
		return done;
	}

	/**
	 * Counts a partner's call that outlasted the hold until it ends.
	 */
	private void outlasting(String partnerId, CompletableFuture<?> call) {
		this.outlasting.merge(partnerId, 1, Integer::sum);
		call.whenComplete((result, failure) -> this.outlasting.computeIfPresent(partnerId,
				(id, count) -> (count > 1) ? count - 1 : null));
	}

	private static void propagate(CompletableFuture<Void> from, CompletableFuture<Void> to) {
		from.whenComplete((ignored, failure) -> {
			if (failure != null) {
				to.completeExceptionally(failure);
			}
			else {
				to.complete(null);
			}
		});
	}

	private static Exception cause(Throwable failure) {
		Throwable cause = DeliveryService.unwrap(failure);
		return (cause instanceof Exception exception) ? exception : new CompletionException(cause);
	}

	/**
	 * The log id of an earlier attempt handed on while in flight, if this record is its
	 * retry.
	 */
	private static String handedOn(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader(IN_FLIGHT_ATTEMPT);
		if (header == null || header.value() == null || header.value().length == 0) {
			return null;
		}
		return new String(header.value(), StandardCharsets.UTF_8);
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
