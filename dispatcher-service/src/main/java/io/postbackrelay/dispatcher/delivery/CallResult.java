package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;

/**
 * What a partner answered.
 *
 * @param status the HTTP status
 * @param body the first 500 characters of the response body
 * @param retryAfter its {@code Retry-After}, or {@code null}
 * @param duration how long the call took
 */
record CallResult(int status, String body, Duration retryAfter, Duration duration) {

	boolean delivered() {
		return this.status >= 200 && this.status < 300;
	}

	boolean retryable() {
		return this.status == 408 || this.status == 425 || this.status == 429 || this.status >= 500;
	}

}
