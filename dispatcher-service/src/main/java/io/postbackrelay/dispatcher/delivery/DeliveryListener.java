package io.postbackrelay.dispatcher.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * that hangs would hold up every partner polled with it until its timeout (a retry
 * topic's consumer takes one record per poll: there, every partner's retries). Every
 * attempt but the last therefore holds its record at most its partner's hold
 * ({@link PartnerPace}: a few times the partner's usual answer time, within
 * {@code relay.dispatcher.delivery}'s {@code min-hold} and {@code hold}): a call still in
 * flight then is handed to the next retry topic as well, due after the call's timeout,
 * and that retry calls the partner only if the attempt's log shows it did not end the
 * delivery. While a partner is stalled, its new calls are handed on at once and hold no
 * poll. The last attempt waits for its call: after it comes the dead-letter topic.
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

	private final PartnerPace pace;

	private final DeliveryTimers timers;

	private final boolean holding;

	private final int maxAttempts;

	DeliveryListener(DeliveryService deliveries, RetryHandOff retries, DispatchMetrics metrics, PartnerPace pace,
			DeliveryTimers timers, DispatcherProperties properties) {
		this.deliveries = deliveries;
		this.retries = retries;
		this.metrics = metrics;
		this.pace = pace;
		this.timers = timers;
		// without retries there is nowhere to hand a call on to
		this.holding = !properties.delivery().hold().isZero() && !properties.retry().backoff().isEmpty();
		this.maxAttempts = properties.retry().maxAttempts();
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
		String partnerId = record.value().partnerId();
		if (!delivery.callTimeout().isZero()) {
			this.pace.track(partnerId, started, delivery.call());
		}
		if (attempt >= this.maxAttempts || !this.holding || delivery.call().isDone()) {
			return delivery.done()
				.exceptionallyCompose((failure) -> this.retries.forward(record, cause(failure), attemptId));
		}
		// a stalled partner holds no poll at all
		Executor hold = this.pace.stalled(partnerId) ? Runnable::run : this.timers.after(this.pace.hold(partnerId));
		return heldAtMost(record, delivery, attemptId, started, hold);
	}

	private CompletableFuture<Void> heldAtMost(ConsumerRecord<String, DeliveryTask> record,
			DeliveryService.Delivery delivery, String attemptId, long started, Executor hold) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		AtomicBoolean decided = new AtomicBoolean();
		delivery.done().whenComplete((ignored, failure) -> {
			if (decided.compareAndSet(false, true)) {
				CompletableFuture<Void> next = (failure != null)
						? this.retries.forward(record, cause(failure), attemptId)
						: CompletableFuture.completedFuture(null);
				propagate(next, done);
			}
			// otherwise handed on already: its retry reads this attempt's log
		});
		hold.execute(() -> {
			// only the call counts: an attempt whose call ended waits for its log
			if (!delivery.call().isDone() && decided.compareAndSet(false, true)) {
				outlasting(record.value().partnerId(), started, delivery.call());
				Duration callLeft = delivery.callTimeout().minusNanos(System.nanoTime() - started);
				this.metrics.handedOnInFlight();
				propagate(this.retries.forward(record,
						new StillInFlight(attemptId, callLeft.isNegative() ? Duration.ZERO : callLeft), attemptId),
						done);
			}
		});
		return done;
	}

	/**
	 * Tells the partner's pace of a call that outlasted its hold, and again if it is
	 * still in flight after the longest hold.
	 */
	private void outlasting(String partnerId, long started, CompletableFuture<?> call) {
		Duration untilLongest = this.pace.handedOn(partnerId, started, call);
		if (!untilLongest.isZero()) {
			this.timers.after(untilLongest).execute(() -> this.pace.outlasted(partnerId, call));
		}
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
