package io.postbackrelay.common;

/**
 * A partner's URL or signing secret cannot make a valid request; no retry can help.
 */
public class InvalidPartnerTarget extends RuntimeException {

	/**
	 * An invalid target.
	 * @param message what is wrong
	 */
	public InvalidPartnerTarget(String message) {
		super(message);
	}

}
