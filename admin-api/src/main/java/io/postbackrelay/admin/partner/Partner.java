package io.postbackrelay.admin.partner;

import java.time.Instant;
import java.util.List;

import io.postbackrelay.common.CollectionNames;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A partner as stored in {@code partners}.
 *
 * @param id the partner id
 * @param name its name
 * @param email its contact address
 * @param postbackUrl where postbacks go; may hold {@code {name}} placeholders
 * @param method GET or POST
 * @param active whether it receives postbacks
 * @param rules which postbacks it receives
 * @param signingSecret secret for signing POSTs, or {@code null}
 * @param timeoutMs call timeout in milliseconds, or {@code null} for the default
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
@Document(CollectionNames.PARTNERS)
record Partner(@Id String id, String name, String email, String postbackUrl, String method, boolean active, Rules rules,
		String signingSecret, Integer timeoutMs, Instant createdAt, Instant updatedAt) {

	/**
	 * Which postbacks a partner receives; an empty list matches all.
	 *
	 * @param statuses statuses (case-insensitive)
	 * @param offerIds offer ids
	 * @param sourceIds source ids
	 */
	record Rules(List<String> statuses, List<String> offerIds, List<String> sourceIds) {

		Rules {
			statuses = (statuses != null) ? List.copyOf(statuses) : List.of();
			offerIds = (offerIds != null) ? List.copyOf(offerIds) : List.of();
			sourceIds = (sourceIds != null) ? List.copyOf(sourceIds) : List.of();
		}

	}

	Partner withActive(boolean active, Instant now) {
		return new Partner(this.id, this.name, this.email, this.postbackUrl, this.method, active, this.rules,
				this.signingSecret, this.timeoutMs, this.createdAt, now);
	}

}
