package io.postbackrelay.dispatcher.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.common.GroupCommit;
import io.postbackrelay.dispatcher.partner.Partner;
import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import io.postbackrelay.dispatcher.system.DispatcherProperties;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Delivers one task to its partner: prepare the request, send it through the partner's
 * guard, record the attempt. The returned future completes normally when the delivery is
 * done (delivered or skipped) and fails with a {@link RetryableDeliveryFailure} or
 * {@link PermanentDeliveryFailure} otherwise; it never throws.
 */
@Component
class DeliveryService {

	private final PartnerDirectory partners;

	private final DeliveryRequestBuilder requests;

	private final PartnerGuard guard;

	private final PartnerCalls calls;

	private final DispatchMetrics metrics;

	private final DispatcherProperties.Delivery settings;

	private final int maxAttempts;

	private final Clock clock;

	private final GroupCommit<DeliveryAttempt, Boolean> logWriter;

	private final HandedOnAttempts handedOnAttempts;

	DeliveryService(PartnerDirectory partners, DeliveryRequestBuilder requests, PartnerGuard guard, PartnerCalls calls,
			DispatchMetrics metrics, DispatcherProperties properties, Clock clock,
			@Qualifier(DeliveryLogSetup.NAME) GroupCommit<DeliveryAttempt, Boolean> logWriter,
			HandedOnAttempts handedOnAttempts) {
		this.partners = partners;
		this.requests = requests;
		this.guard = guard;
		this.calls = calls;
		this.metrics = metrics;
		this.settings = properties.delivery();
		this.maxAttempts = properties.retry().maxAttempts();
		this.clock = clock;
		this.logWriter = logWriter;
		this.handedOnAttempts = handedOnAttempts;
	}

	/**
	 * Delivers a task.
	 * @param task the task
	 * @param attempt its attempt number, from 1
	 * @param attemptId the id this attempt's log gets
	 * @param handedOn the log id of an earlier attempt handed on while its call was in
	 * flight, or {@code null}
	 * @return the partner's call and the whole attempt, which completes when the attempt
	 * is logged and fails if it did not end the delivery
	 */
	Delivery deliver(DeliveryTask task, int attempt, String attemptId, String handedOn) {
		try {
			if (handedOn != null) {
				CompletableFuture<Void> ended = this.handedOnAttempts.endOf(handedOn);
				if (ended != null) {
					return Delivery.withoutCall(ended);
				}
			}
			Optional<Partner> partner = this.partners.find(task.partnerId()).filter(Partner::active);
			if (partner.isEmpty()) {
				return Delivery.withoutCall(record(task, attempt, attemptId, null, null, Step.skipped()));
			}
			return send(partner.get(), task, attempt, attemptId);
		}
		catch (RuntimeException ex) {
			return Delivery.withoutCall(CompletableFuture.failedFuture(ex));
		}
	}

	private Delivery send(Partner partner, DeliveryTask task, int attempt, String attemptId) {
		PreparedDelivery prepared;
		try {
			prepared = this.requests.prepare(partner, task, attempt);
		}
		catch (PermanentDeliveryFailure ex) {
			return Delivery.withoutCall(record(task, attempt, attemptId, partner, null,
					Step.failed(ex, DeliveryOutcome.DEAD_LETTERED, null)));
		}
		Duration timeout = partner.timeout(this.settings.defaultTimeout(), this.settings.maxTimeout());
		CompletableFuture<CallResult> call = this.guard.call(partner, attempt == 1,
				() -> this.calls.send(prepared, timeout));
		return new Delivery(call, timeout, call.handle((result, failure) -> classify(result, unwrap(failure), attempt))
			.thenCompose((step) -> record(task, attempt, attemptId, partner, prepared, step)));
	}

	private Step classify(CallResult result, Throwable failure, int attempt) {
		DeliveryOutcome retryOutcome = (attempt < this.maxAttempts) ? DeliveryOutcome.RETRY_SCHEDULED
				: DeliveryOutcome.DEAD_LETTERED;
		if (failure instanceof PrivateTargets.Refused refused) {
			return Step.failed(new PermanentDeliveryFailure(refused.getMessage()), DeliveryOutcome.DEAD_LETTERED, null);
		}
		if (failure instanceof RetryableDeliveryFailure retryable) {
			return Step.failed(retryable, retryOutcome, null);
		}
		if (failure != null) {
			String reason = (failure instanceof IOException) ? "I/O error: " + failure : failure.toString();
			return Step.failed(new RetryableDeliveryFailure(reason, null), retryOutcome, null);
		}
		if (result.delivered()) {
			return new Step(DeliveryOutcome.DELIVERED, result, null);
		}
		if (result.retryable()) {
			return Step.failed(
					new RetryableDeliveryFailure("Partner answered HTTP " + result.status(), result.retryAfter()),
					retryOutcome, result);
		}
		return Step.failed(new PermanentDeliveryFailure("Partner rejected it with HTTP " + result.status()),
				DeliveryOutcome.DEAD_LETTERED, result);
	}

	/**
	 * Logs the attempt through the batching log writer, so that a burst of failing
	 * deliveries does not slow the consumer that healthy partners share; completes when
	 * the log is written, failed with the attempt's failure if it had one.
	 */
	private CompletableFuture<Void> record(DeliveryTask task, int attempt, String attemptId, Partner partner,
			PreparedDelivery prepared, Step step) {
		CompletableFuture<Boolean> written;
		try {
			written = this.logWriter.submit(attempt(task, attempt, attemptId, partner, prepared, step));
			count(partner, task, step);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return written.thenCompose((ok) -> (step.failure() != null)
				? CompletableFuture.<Void>failedFuture(step.failure()) : CompletableFuture.<Void>completedFuture(null));
	}

	private DeliveryAttempt attempt(DeliveryTask task, int attempt, String attemptId, Partner partner,
			PreparedDelivery prepared, Step step) {
		CallResult result = step.result();
		return new DeliveryAttempt(attemptId, task.partnerId(), (partner != null) ? partner.name() : null,
				(partner != null) ? partner.email() : null, (prepared != null) ? prepared.planned().loggedUrl() : null,
				(prepared != null) ? prepared.planned().method() : null, step.outcome() == DeliveryOutcome.DELIVERED,
				(result != null) ? result.status() : null, (result != null) ? result.body() : null,
				(result != null) ? result.duration().toMillis() : null, attempt - 1, attempt, error(step),
				task.postbackId(), (prepared != null) ? prepared.planned().data() : Map.of(),
				(prepared != null) ? prepared.planned().missingPlaceholders() : List.of(), this.clock.instant(),
				task.deliveryId(), step.outcome(), task.origin(), task.test());
	}

	private void count(Partner partner, DeliveryTask task, Step step) {
		String partnerTag = this.metrics.partnerTag((partner != null) ? partner.name() : null);
		this.metrics.attempt(partnerTag, step.outcome(), (step.result() != null) ? step.result().duration() : null);
		if (step.outcome() == DeliveryOutcome.DELIVERED && task.receivedAt() != null) {
			this.metrics.delay(partnerTag, Duration.between(task.receivedAt(), this.clock.instant()));
		}
	}

	private static String error(Step step) {
		if (step.outcome() == DeliveryOutcome.SKIPPED) {
			return "Partner is inactive or deleted; nothing was sent";
		}
		return (step.failure() != null) ? step.failure().getMessage() : null;
	}

	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * One attempt under way.
	 *
	 * @param call the partner's call, completed when it ended (at once when none is made)
	 * @param callTimeout the longest the call may take (zero when none is made)
	 * @param done the whole attempt: completed when logged, failed if it did not end the
	 * delivery
	 */
	record Delivery(CompletableFuture<?> call, Duration callTimeout, CompletableFuture<Void> done) {

		static Delivery withoutCall(CompletableFuture<Void> done) {
			return new Delivery(CompletableFuture.completedFuture(null), Duration.ZERO, done);
		}

	}

	/**
	 * The outcome of one attempt and what it failed with.
	 */
	private record Step(DeliveryOutcome outcome, CallResult result, RuntimeException failure) {

		static Step skipped() {
			return new Step(DeliveryOutcome.SKIPPED, null, null);
		}

		static Step failed(RuntimeException failure, DeliveryOutcome outcome, CallResult result) {
			return new Step(outcome, result, failure);
		}

	}

}
