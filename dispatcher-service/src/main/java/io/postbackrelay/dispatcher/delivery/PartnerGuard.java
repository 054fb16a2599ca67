package io.postbackrelay.dispatcher.delivery;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.postbackrelay.dispatcher.partner.Partner;
import io.postbackrelay.dispatcher.system.DispatcherProperties;

import org.springframework.stereotype.Component;

/**
 * Per-partner protection: an in-flight limit (bulkhead) and a circuit breaker, which
 * opens on a failure rate or at once on a call that timed out. When either refuses, the
 * delivery fails at once as retryable without calling the partner, so a hanging or
 * failing partner never holds up the others nor gets hammered.
 */
@Component
class PartnerGuard {

	private final Map<String, Guards> byPartner = new ConcurrentHashMap<>();

	private final BulkheadConfig bulkheadConfig;

	private final CircuitBreakerConfig breakerConfig;

	private final DispatchMetrics metrics;

	PartnerGuard(DispatcherProperties properties, DispatchMetrics metrics) {
		DispatcherProperties.Guard guard = properties.guard();
		this.bulkheadConfig = BulkheadConfig.custom()
			.maxConcurrentCalls(guard.maxInFlight())
			.maxWaitDuration(Duration.ZERO)
			.build();
		this.breakerConfig = CircuitBreakerConfig.custom()
			.failureRateThreshold(guard.failureRateThreshold())
			.minimumNumberOfCalls(guard.minimumCalls())
			.slidingWindowSize(Math.max(guard.minimumCalls(), 50))
			.waitDurationInOpenState(guard.openFor())
			.permittedNumberOfCallsInHalfOpenState(3)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.build();
		this.metrics = metrics;
	}

	/**
	 * Runs a call if the partner's guards allow it.
	 * @param partner the partner
	 * @param firstAttempt whether this is a delivery's first attempt (from the main
	 * topic)
	 * @param call the call
	 * @return the call's result, or a failed future with a
	 * {@link RetryableDeliveryFailure} when a guard refused
	 */
	CompletableFuture<CallResult> call(Partner partner, boolean firstAttempt,
			Supplier<CompletableFuture<CallResult>> call) {
		Guards guards = this.byPartner.computeIfAbsent(partner.id(), (id) -> create(partner));
		// only retries probe a partner whose circuit is not closed: a probe that hangs
		// then
		// holds up a retry consumer, never the main one that healthy partners share
		boolean refuse = (firstAttempt && guards.breaker().getState() != CircuitBreaker.State.CLOSED)
				|| !guards.breaker().tryAcquirePermission();
		if (refuse) {
			return CompletableFuture
				.failedFuture(new RetryableDeliveryFailure("Circuit open: partner failing, call not made", null));
		}
		if (!guards.bulkhead().tryAcquirePermission()) {
			guards.breaker().releasePermission();
			return CompletableFuture.failedFuture(
					new RetryableDeliveryFailure("Too many calls in flight to this partner, call not made", null));
		}
		long started = System.nanoTime();
		CompletableFuture<CallResult> result;
		try {
			result = call.get();
		}
		catch (RuntimeException ex) {
			guards.bulkhead().onComplete();
			guards.breaker().releasePermission();
			return CompletableFuture.failedFuture(ex);
		}
		return result.whenComplete((answer, failure) -> {
			guards.bulkhead().onComplete();
			long nanos = System.nanoTime() - started;
			if (failure != null || answer.retryable()) {
				guards.breaker()
					.onError(nanos, TimeUnit.NANOSECONDS,
							(failure != null) ? failure : new IllegalStateException("HTTP " + answer.status()));
				if (isTimeout(failure) && guards.breaker().getState() != CircuitBreaker.State.OPEN) {
					// a call that hangs holds up every delivery polled with it: one is
					// enough
					guards.breaker().transitionToOpenState();
				}
			}
			else {
				guards.breaker().onSuccess(nanos, TimeUnit.NANOSECONDS);
			}
		});
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InterruptedIOException) {
				return true;
			}
		}
		return false;
	}

	private Guards create(Partner partner) {
		Guards guards = new Guards(Bulkhead.of(partner.id(), this.bulkheadConfig),
				CircuitBreaker.of(partner.id(), this.breakerConfig));
		String tag = this.metrics.partnerTag(partner.name());
		this.metrics.partnerGauges(tag,
				() -> this.bulkheadConfig.getMaxConcurrentCalls()
						- guards.bulkhead().getMetrics().getAvailableConcurrentCalls(),
				() -> switch (guards.breaker().getState()) {
					case CLOSED -> 0;
					case OPEN, FORCED_OPEN -> 1;
					default -> 2;
				});
		return guards;
	}

	private record Guards(Bulkhead bulkhead, CircuitBreaker breaker) {
	}

}
