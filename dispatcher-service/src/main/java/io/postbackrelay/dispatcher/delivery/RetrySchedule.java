package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.postbackrelay.dispatcher.system.DispatcherProperties;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The retry schedule: the pause before each retry, with jitter, and a partner's
 * {@code Retry-After} honoured within bounds. Its plain pauses also size the retry
 * topics.
 */
class RetrySchedule implements BackOff {

	private final List<Duration> pauses;

	private final double jitter;

	private final double retryAfterFactor;

	RetrySchedule(DispatcherProperties.Retry retry) {
		this.pauses = List.copyOf(retry.backoff());
		this.jitter = retry.jitter();
		this.retryAfterFactor = retry.retryAfterFactor();
	}

	int retries() {
		return this.pauses.size();
	}

	/**
	 * The pause after a failed attempt.
	 * @param attempt the attempt that failed, from 1
	 * @param retryAfter the partner's {@code Retry-After}, or {@code null}
	 * @return the pause: the scheduled one plus jitter, or longer if the partner asked,
	 * up to {@code retry-after-factor} times the scheduled one
	 */
	Duration pauseAfter(int attempt, Duration retryAfter) {
		Duration scheduled = this.pauses.get(Math.min(attempt, this.pauses.size()) - 1);
		long millis = scheduled.toMillis();
		long pause = millis + (long) (millis * this.jitter * ThreadLocalRandom.current().nextDouble());
		if (retryAfter != null) {
			long asked = Math.min(retryAfter.toMillis(), (long) (millis * this.retryAfterFactor));
			pause = Math.max(pause, asked);
		}
		return Duration.ofMillis(pause);
	}

	@Override
	public BackOffExecution start() {
		return new BackOffExecution() {

			private int next;

			@Override
			public long nextBackOff() {
				return (this.next < RetrySchedule.this.pauses.size())
						? RetrySchedule.this.pauses.get(this.next++).toMillis() : STOP;
			}

		};
	}

}
