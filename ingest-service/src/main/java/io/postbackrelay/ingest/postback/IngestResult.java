package io.postbackrelay.ingest.postback;

/**
 * The answer to an accepted postback.
 *
 * @param status {@code accepted}, or {@code duplicate} for a repeat
 * @param id the postback id (of the first one, for a repeat)
 * @param duplicate whether it repeats an earlier postback
 */
record IngestResult(String status, String id, boolean duplicate) {

	static IngestResult accepted(String id) {
		return new IngestResult("accepted", id, false);
	}

	static IngestResult duplicateOf(String id) {
		return new IngestResult("duplicate", id, true);
	}

}
