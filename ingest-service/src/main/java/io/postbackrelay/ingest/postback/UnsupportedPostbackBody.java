package io.postbackrelay.ingest.postback;

/**
 * The request body has a content type ingest does not read.
 */
public class UnsupportedPostbackBody extends RuntimeException {

	UnsupportedPostbackBody(String contentType) {
		super("Content type '" + contentType
				+ "' is not supported; send a query string, application/x-www-form-urlencoded or a flat JSON object");
	}

}
