package io.postbackrelay.common;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A postback that ingest accepted and stored: the value of topic {@code postbacks}.
 *
 * @param schemaVersion version of this record's layout, {@link #SCHEMA_VERSION} when
 * written
 * @param postbackId id of the stored postback ({@code received_postbacks._id})
 * @param sourceId id of the platform that sent it
 * @param sourceName name of that platform
 * @param params the original parameters plus {@code ip} and {@code timestamp}
 * @param clickId the {@code click_id} parameter
 * @param status the {@code status} parameter, or {@code null}
 * @param payout the {@code payout} parameter as a decimal, or {@code null}
 * @param offerId the {@code offer_id} parameter, or {@code null}
 * @param transactionId the {@code transaction_id} parameter, or {@code null}
 * @param receivedAt when ingest received it
 * @param test whether an admin sent it as a test postback
 * @param onlyPartnerId when not {@code null}, deliver to this partner only (test
 * postbacks)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostbackEvent(int schemaVersion, String postbackId, String sourceId, String sourceName,
		Map<String, String> params, String clickId, String status, BigDecimal payout, String offerId,
		String transactionId, Instant receivedAt, boolean test, String onlyPartnerId) {

	/** The layout version this code writes. */
	public static final int SCHEMA_VERSION = 1;

	public PostbackEvent {
		// keeps the platform's order, so partners get parameters in the order they were
		// sent
		params = (params != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(params)) : Map.of();
	}

}
