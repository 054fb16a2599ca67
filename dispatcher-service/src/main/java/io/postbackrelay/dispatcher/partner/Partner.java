package io.postbackrelay.dispatcher.partner;

import java.time.Duration;
import java.util.List;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.PostbackEvent;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A partner that receives postbacks, as the dispatcher reads it from {@code partners}.
 *
 * @param id the partner id
 * @param name its name
 * @param email its contact address
 * @param postbackUrl where postbacks go; may hold {@code {name}} placeholders
 * @param method GET or POST
 * @param active whether it receives postbacks
 * @param rules which postbacks it receives
 * @param signingSecret secret for Standard Webhooks signatures of POSTs, or {@code null}
 * @param timeoutMs its call timeout in milliseconds, or {@code null} for the default
 */
@Document(CollectionNames.PARTNERS)
public record Partner(@Id String id, String name, String email, String postbackUrl, DeliveryMethod method,
		boolean active, Rules rules, String signingSecret, Integer timeoutMs) {

	public Partner {
		method = (method != null) ? method : DeliveryMethod.GET;
		rules = (rules != null) ? rules : new Rules(List.of(), List.of(), List.of());
	}

	/**
	 * Whether this partner should receive a postback.
	 * @param postback the postback
	 * @return {@code true} if active and every rule matches (a test postback ignores the
	 * rules)
	 */
	public boolean accepts(PostbackEvent postback) {
		if (!this.active) {
			return false;
		}
		if (postback.test()) {
			// an admin's test goes to every active partner, or to the one named
			return postback.onlyPartnerId() == null || this.id.equals(postback.onlyPartnerId());
		}
		return this.rules.matches(postback);
	}

	/**
	 * This partner's call timeout, bounded.
	 * @param fallback the default
	 * @param max the upper bound
	 * @return the timeout to use
	 */
	public Duration timeout(Duration fallback, Duration max) {
		if (this.timeoutMs == null || this.timeoutMs <= 0) {
			return fallback;
		}
		Duration own = Duration.ofMillis(this.timeoutMs);
		return (own.compareTo(max) > 0) ? max : own;
	}

	/**
	 * Which postbacks a partner receives; an empty list matches everything.
	 *
	 * @param statuses postback statuses (case-insensitive)
	 * @param offerIds offer ids
	 * @param sourceIds source ids
	 */
	public record Rules(List<String> statuses, List<String> offerIds, List<String> sourceIds) {

		public Rules {
			statuses = (statuses != null) ? List.copyOf(statuses) : List.of();
			offerIds = (offerIds != null) ? List.copyOf(offerIds) : List.of();
			sourceIds = (sourceIds != null) ? List.copyOf(sourceIds) : List.of();
		}

		boolean matches(PostbackEvent postback) {
			return (this.statuses.isEmpty() || (postback.status() != null
					&& this.statuses.stream().anyMatch((status) -> status.equalsIgnoreCase(postback.status()))))
					&& (this.offerIds.isEmpty() || this.offerIds.contains(postback.offerId()))
					&& (this.sourceIds.isEmpty() || this.sourceIds.contains(postback.sourceId()));
		}

	}

}
