package io.postbackrelay.admin.system;

/**
 * A request parameter or field breaks a rule: answered with 400 and the offending name.
 */
public class BadRequest extends RuntimeException {

	private final String parameter;

	/**
	 * A bad request.
	 * @param parameter the offending parameter or field
	 * @param message what is wrong
	 */
	public BadRequest(String parameter, String message) {
		super(message);
		this.parameter = parameter;
	}

	/**
	 * The offending parameter.
	 * @return its name
	 */
	public String parameter() {
		return this.parameter;
	}

}
