package io.postbackrelay.ingest.source;

/**
 * The source does not allow postbacks from the client's address.
 */
public class AddressNotAllowed extends RuntimeException {

	private final String sourceName;

	AddressNotAllowed(String sourceName, String address) {
		super("Address " + address + " is not allowed to post for this source");
		this.sourceName = sourceName;
	}

	/**
	 * The name of the source that refused the address.
	 * @return the source name
	 */
	public String sourceName() {
		return this.sourceName;
	}

}
