package io.postbackrelay.dispatcher.delivery;

import java.util.List;
import java.util.Map;

import io.postbackrelay.dispatcher.partner.DeliveryMethod;
import okhttp3.Request;

/**
 * The exact request a delivery sends, and what its log records.
 *
 * @param request the HTTP request
 * @param method GET or POST
 * @param loggedUrl the full URL (GET) or the URL without its query (POST)
 * @param data the parameters sent
 * @param missingPlaceholders template placeholders that had no value and were left empty
 */
public record PreparedDelivery(Request request, DeliveryMethod method, String loggedUrl, Map<String, String> data,
		List<String> missingPlaceholders) {
}
