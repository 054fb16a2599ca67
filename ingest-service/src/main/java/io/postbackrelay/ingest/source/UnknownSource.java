package io.postbackrelay.ingest.source;

/**
 * The source key names no active source.
 */
public class UnknownSource extends RuntimeException {

	UnknownSource() {
		super("Unknown or inactive source key");
	}

}
