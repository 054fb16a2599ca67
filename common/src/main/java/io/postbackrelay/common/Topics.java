package io.postbackrelay.common;

/**
 * Default Kafka topic names. Each service reads the real names from configuration; these
 * are the defaults documented in the design.
 */
public final class Topics {

	/** Accepted postbacks from ingest, keyed by postback id. */
	public static final String POSTBACKS = "postbacks";

	/** One delivery task per (postback, partner), keyed by partner id. */
	public static final String DELIVERIES = "deliveries";

	/** Dead-letter topic of the delivery retry chain. */
	public static final String DELIVERIES_DLT = "deliveries-dlt";

	/** Postback records that could not be parsed at all. */
	public static final String POSTBACKS_DLT = "postbacks-dlt";

	private Topics() {
	}

}
