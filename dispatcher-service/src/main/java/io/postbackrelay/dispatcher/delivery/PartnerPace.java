package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.postbackrelay.dispatcher.system.DispatcherProperties;

import org.springframework.stereotype.Component;

/**
 * How fast each partner answers, which sets how long an attempt's call may hold its
 * record ({@link DeliveryListener}), and whether a partner has stopped answering, which
 * hands its new calls on at once.
 * <p>
 * A partner's hold is {@value #HOLD_FACTOR} times its usual answer time (a moving average
 * of the calls it answered, with any status), at least {@code delivery.min-hold} and at
 * most {@code delivery.hold}; a partner not heard from yet gets {@code delivery.hold}. So
 * a partner that starts hanging holds the partners polled with it for about
 * {@code min-hold} rather than {@code hold}, while a partner that usually takes 300 ms is
 * not handed on for being itself.
 * <p>
 * A partner counts as stalled while it has a call in flight that outlasted its hold with
 * no call to it answered since that call was sent, or that outlasted
 * {@code delivery.hold}. A call that is only slower than usual (a busy machine) while the
 * partner keeps answering the others is handed on alone: marking the partner for it would
 * hand on all its calls while that one is in flight.
 */
@Component
class PartnerPace {

	/** How many times its usual answer time a partner's call holds its record. */
	static final int HOLD_FACTOR = 4;

	/** Weight of the newest answer in the moving average. */
	private static final double WEIGHT = 0.05;

	private final Map<String, Pace> byPartner = new ConcurrentHashMap<>();

	private final long minHoldNanos;

	private final long maxHoldNanos;

	PartnerPace(DispatcherProperties properties) {
		this.maxHoldNanos = properties.delivery().hold().toNanos();
		this.minHoldNanos = Math.min(properties.delivery().minHold().toNanos(), this.maxHoldNanos);
	}

	/**
	 * Learns from a call how fast its partner answers.
	 * @param partnerId the partner
	 * @param sentNanos {@link System#nanoTime()} when the call was sent
	 * @param call the call: an answer (any status) counts, a failure (no answer, a
	 * timeout, a call the guard refused) does not
	 */
	void track(String partnerId, long sentNanos, CompletableFuture<?> call) {
		Pace pace = pace(partnerId);
		call.whenComplete((answer, failure) -> {
			if (failure == null) {
				pace.answered(sentNanos, System.nanoTime());
			}
		});
	}

	/**
	 * The longest an attempt's call to a partner holds its record.
	 * @param partnerId the partner
	 * @return the hold
	 */
	Duration hold(String partnerId) {
		double usual = pace(partnerId).usualNanos;
		if (Double.isNaN(usual)) {
			return Duration.ofNanos(this.maxHoldNanos);
		}
		long hold = (long) (usual * HOLD_FACTOR);
		return Duration.ofNanos(Math.max(this.minHoldNanos, Math.min(this.maxHoldNanos, hold)));
	}

	/**
	 * Whether a partner's new calls should be handed on at once.
	 * @param partnerId the partner
	 * @return whether it is stalled
	 */
	boolean stalled(String partnerId) {
		return pace(partnerId).stalled > 0;
	}

	/**
	 * Takes note of a call that outlasted its hold and was handed on.
	 * @param partnerId the partner
	 * @param sentNanos {@link System#nanoTime()} when the call was sent
	 * @param call the call
	 * @return how much longer the call must stay in flight to outlast
	 * {@code delivery.hold}, after which {@link #outlasted} is to be called; zero when
	 * the partner now counts as stalled
	 */
	Duration handedOn(String partnerId, long sentNanos, CompletableFuture<?> call) {
		Pace pace = pace(partnerId);
		long inFlight = System.nanoTime() - sentNanos;
		if (!pace.answeredSince(sentNanos) || inFlight >= this.maxHoldNanos) {
			stall(pace, call);
			return Duration.ZERO;
		}
		return Duration.ofNanos(this.maxHoldNanos - inFlight);
	}

	/**
	 * A handed-on call that was still in flight after {@code delivery.hold}: the partner
	 * counts as stalled until it ends.
	 * @param partnerId the partner
	 * @param call the call
	 */
	void outlasted(String partnerId, CompletableFuture<?> call) {
		if (!call.isDone()) {
			stall(pace(partnerId), call);
		}
	}

	private void stall(Pace pace, CompletableFuture<?> call) {
		pace.stall(+1);
		call.whenComplete((answer, failure) -> pace.stall(-1));
	}

	private Pace pace(String partnerId) {
		return this.byPartner.computeIfAbsent(partnerId, (id) -> new Pace());
	}

	private static final class Pace {

		/** Moving average of answer times, NaN until the first answer. */
		private volatile double usualNanos = Double.NaN;

		/** When the last answer came, {@link System#nanoTime()}. */
		private volatile long lastAnswerNanos;

		/** Calls in flight that make this partner count as stalled. */
		private volatile int stalled;

		synchronized void answered(long sentNanos, long nowNanos) {
			double took = nowNanos - sentNanos;
			boolean first = Double.isNaN(this.usualNanos);
			if (first || nowNanos - this.lastAnswerNanos > 0) {
				this.lastAnswerNanos = nowNanos;
			}
			this.usualNanos = first ? took : this.usualNanos + WEIGHT * (took - this.usualNanos);
		}

		boolean answeredSince(long nanos) {
			return !Double.isNaN(this.usualNanos) && this.lastAnswerNanos - nanos > 0;
		}

		synchronized void stall(int change) {
			this.stalled += change;
		}

	}

}
