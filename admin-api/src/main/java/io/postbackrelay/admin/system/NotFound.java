package io.postbackrelay.admin.system;

/**
 * The thing asked for does not exist: answered with 404.
 */
public class NotFound extends RuntimeException {

	/**
	 * Not found.
	 * @param what what was looked for, for the message
	 */
	public NotFound(String what) {
		super(what + " not found");
	}

}
