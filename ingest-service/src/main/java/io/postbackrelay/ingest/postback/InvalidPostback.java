package io.postbackrelay.ingest.postback;

/**
 * A postback that breaks a validation rule; it is refused with 400 and never stored.
 */
public class InvalidPostback extends RuntimeException {

	private final String parameter;

	InvalidPostback(String parameter, String message) {
		super(message);
		this.parameter = parameter;
	}

	/**
	 * The offending parameter.
	 * @return its name, or {@code null} when the request as a whole is at fault
	 */
	public String parameter() {
		return this.parameter;
	}

}
