package io.postbackrelay.ingest.postback;

/**
 * The request body is larger than the configured limit.
 */
public class PostbackTooLarge extends RuntimeException {

	PostbackTooLarge(long limit) {
		super("Request body is larger than " + limit + " bytes");
	}

}
