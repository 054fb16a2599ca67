package io.postbackrelay.admin.system;

/**
 * The request does not fit the current state (a dead letter already replayed, say):
 * answered with 409.
 */
public class Conflict extends RuntimeException {

	/**
	 * A conflict.
	 * @param message what is in the way
	 */
	public Conflict(String message) {
		super(message);
	}

}
