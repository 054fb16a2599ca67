package io.postbackrelay.ingest.postback;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.postbackrelay.ingest.source.Source;
import org.bson.types.ObjectId;

import org.springframework.stereotype.Component;

/**
 * Takes a postback from an authenticated source: validate, store once, publish.
 */
@Component
class PostbackIntake {

	private final PostbackRules rules;

	private final PostbackStore store;

	private final PostbackPublisher publisher;

	private final Clock clock;

	PostbackIntake(PostbackRules rules, PostbackStore store, PostbackPublisher publisher, Clock clock) {
		this.rules = rules;
		this.store = store;
		this.publisher = publisher;
		this.clock = clock;
	}

	IngestResult accept(Source source, Map<String, String> parameters, String clientAddress) {
		this.rules.check(parameters);
		ReceivedPostback postback = prepare(source, parameters, clientAddress, this.clock.instant());
		PostbackStore.Stored stored = this.store.insert(postback);
		if (stored.duplicate()) {
			return IngestResult.duplicateOf(stored.id());
		}
		this.publisher.publishNow(postback);
		return IngestResult.accepted(stored.id());
	}

	private static ReceivedPostback prepare(Source source, Map<String, String> parameters, String clientAddress,
			Instant now) {
		Map<String, String> params = new LinkedHashMap<>(parameters);
		// receipt facts partners rely on; they replace any parameters of the same name
		params.put("ip", clientAddress);
		params.put("timestamp", Long.toString(now.getEpochSecond()));
		String clickId = parameters.get(PostbackRules.CLICK_ID);
		String status = blankToNull(parameters.get("status"));
		String transactionId = blankToNull(parameters.get("transaction_id"));
		String payout = blankToNull(parameters.get(PostbackRules.PAYOUT));
		return new ReceivedPostback(new ObjectId().toHexString(), source.id(), source.name(), params, clickId, status,
				(payout != null) ? PostbackRules.payout(payout) : null, blankToNull(parameters.get("offer_id")),
				transactionId, dedupeKey(source.id(), transactionId, clickId, status), now, false, null, false);
	}

	/**
	 * Source + (transaction id, else click id) + status, each part length-prefixed so
	 * that no two different triples give the same key.
	 */
	static String dedupeKey(String sourceId, String transactionId, String clickId, String status) {
		String event = (transactionId != null) ? "t" + transactionId : "c" + clickId;
		String state = (status != null) ? status : "";
		return sourceId + "|" + event.length() + ":" + event + "|" + state.length() + ":" + state;
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
