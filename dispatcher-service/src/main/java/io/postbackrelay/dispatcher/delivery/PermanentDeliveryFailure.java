package io.postbackrelay.dispatcher.delivery;

/**
 * A failed attempt that no retry can help: the partner rejected it with a 4xx, or its URL
 * is invalid or refused. The delivery goes straight to the dead letters.
 */
public class PermanentDeliveryFailure extends RuntimeException {

	PermanentDeliveryFailure(String message) {
		// an expected outcome, fully told by its message
		super(message, null, false, false);
	}

}
