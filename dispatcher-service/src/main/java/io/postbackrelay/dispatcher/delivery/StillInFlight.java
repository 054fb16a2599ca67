package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;

/**
 * An attempt whose call outlasted the hold: its record goes on to the next retry topic
 * while the call finishes, and the retry is due only after the call's timeout. The retry
 * then reads this attempt's log and calls the partner only if the attempt did not end the
 * delivery.
 */
final class StillInFlight extends RetryableDeliveryFailure {

	private final String attemptId;

	private final Duration callLeft;

	StillInFlight(String attemptId, Duration callLeft) {
		super("Call still in flight after the hold; handed to the retry topics", null);
		this.attemptId = attemptId;
		this.callLeft = callLeft;
	}

	/**
	 * The id of the in-flight attempt's log.
	 * @return the log id
	 */
	String attemptId() {
		return this.attemptId;
	}

	/**
	 * The longest the call can still take.
	 * @return the rest of its timeout
	 */
	Duration callLeft() {
		return this.callLeft;
	}

}
