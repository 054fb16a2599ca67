package io.postbackrelay.common;

/**
 * MongoDB collection names shared by the services.
 */
public final class CollectionNames {

	/** Platforms allowed to post, with the SHA-256 hash of their key. */
	public static final String SOURCES = "sources";

	/** Partners that receive postbacks, with their rules. */
	public static final String PARTNERS = "partners";

	/** Every accepted postback, as received. */
	public static final String RECEIVED_POSTBACKS = "received_postbacks";

	/** One document per delivery attempt. */
	public static final String PARTNER_POSTBACK_LOGS = "partner_postback_logs";

	/** Deliveries that exhausted their retries or were rejected for good. */
	public static final String DEAD_LETTERS = "dead_letters";

	private CollectionNames() {
	}

}
