package io.postbackrelay.admin.partner;

import java.time.Instant;

/**
 * A partner as the API shows it: the signing secret is never shown, only whether there is
 * one.
 *
 * @param id the partner id
 * @param name its name
 * @param email its contact address
 * @param postbackUrl its URL
 * @param method GET or POST
 * @param active whether it receives postbacks
 * @param rules its rules
 * @param signed whether POSTs to it are signed
 * @param timeoutMs its call timeout, or {@code null}
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
record PartnerView(String id, String name, String email, String postbackUrl, String method, boolean active,
		Partner.Rules rules, boolean signed, Integer timeoutMs, Instant createdAt, Instant updatedAt) {

	static PartnerView of(Partner partner) {
		return new PartnerView(partner.id(), partner.name(), partner.email(), partner.postbackUrl(), partner.method(),
				partner.active(), partner.rules(),
				partner.signingSecret() != null && !partner.signingSecret().isBlank(), partner.timeoutMs(),
				partner.createdAt(), partner.updatedAt());
	}

}
