package io.postbackrelay.dispatcher.delivery;

/**
 * What became of one delivery attempt.
 */
public enum DeliveryOutcome {

	/** The partner answered 2xx. */
	DELIVERED,

	/** The attempt failed in a way a retry can help; a retry is scheduled. */
	RETRY_SCHEDULED,

	/**
	 * The attempt failed for good, or was the last one; the delivery is a dead letter.
	 */
	DEAD_LETTERED,

	/** The partner was deactivated or deleted since the fan-out; nothing was sent. */
	SKIPPED

}
