package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;

/**
 * A failed attempt that a later retry can help: a timeout, an I/O error, 408, 425, 429,
 * 5xx, or the partner's guard refusing the call.
 */
public class RetryableDeliveryFailure extends RuntimeException {

	private final Duration retryAfter;

	RetryableDeliveryFailure(String message, Duration retryAfter) {
		// an expected outcome, fully told by its message: no stack trace to fill in, nor
		// to print into every retry record's headers
		super(message, null, false, false);
		this.retryAfter = retryAfter;
	}

	/**
	 * How long the partner asked us to wait.
	 * @return its {@code Retry-After}, or {@code null}
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
