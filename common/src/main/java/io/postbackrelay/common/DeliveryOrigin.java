package io.postbackrelay.common;

/**
 * What started a delivery attempt.
 */
public enum DeliveryOrigin {

	/** The fan-out of a received postback, or its retry schedule. */
	SCHEDULED,

	/** An admin replayed it. */
	MANUAL

}
