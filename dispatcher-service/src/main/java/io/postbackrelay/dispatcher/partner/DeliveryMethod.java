package io.postbackrelay.dispatcher.partner;

/**
 * How a partner receives a postback.
 */
public enum DeliveryMethod {

	/** Parameters in the query string, or filled into the URL template. */
	GET,

	/** Parameters as a JSON object body. */
	POST

}
