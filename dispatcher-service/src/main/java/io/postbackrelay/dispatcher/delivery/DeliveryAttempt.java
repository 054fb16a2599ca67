package io.postbackrelay.dispatcher.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryOrigin;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One delivery attempt, as logged in {@code partner_postback_logs}.
 *
 * @param id the log id
 * @param partnerId the partner
 * @param partnerName its name at the time
 * @param partnerEmail its contact address at the time
 * @param url the full URL (GET) or the URL without query (POST)
 * @param method GET or POST
 * @param success whether the partner answered 2xx
 * @param httpStatus the HTTP status, or {@code null} when no answer came
 * @param responseBody the first 500 characters of the answer
 * @param responseTimeMs how long the call took
 * @param retryCount retries before this attempt (0 for the first)
 * @param attempt this attempt's number, from 1
 * @param error why it failed, or {@code null}
 * @param sourceLogId the received postback's id
 * @param data the parameters sent
 * @param missingPlaceholders URL template placeholders left empty
 * @param timestamp when the attempt ended
 * @param deliveryId the delivery's stable id
 * @param outcome what became of it
 * @param origin scheduled, or a manual replay
 * @param test whether it belongs to a test postback
 */
@Document(CollectionNames.PARTNER_POSTBACK_LOGS)
public record DeliveryAttempt(@Id String id, String partnerId, String partnerName, String partnerEmail, String url,
		String method, boolean success, Integer httpStatus, String responseBody, Long responseTimeMs, int retryCount,
		int attempt, String error, String sourceLogId, Map<String, String> data, List<String> missingPlaceholders,
		Instant timestamp, String deliveryId, DeliveryOutcome outcome, DeliveryOrigin origin, boolean test) {
}
