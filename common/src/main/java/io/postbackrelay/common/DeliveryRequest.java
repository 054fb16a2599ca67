package io.postbackrelay.common;

import java.util.List;
import java.util.Map;

/**
 * The exact HTTP request one delivery sends to a partner, as the dispatcher sends it and
 * as admin-api's preview shows it.
 *
 * @param method {@code GET} or {@code POST}
 * @param url the full URL
 * @param headers the request headers, in order
 * @param body the JSON body of a POST, or {@code null}
 * @param data the parameters sent (empty values dropped)
 * @param missingPlaceholders URL template placeholders that had no value and were left
 * empty
 */
public record DeliveryRequest(String method, String url, Map<String, String> headers, String body,
		Map<String, String> data, List<String> missingPlaceholders) {

	/**
	 * The URL as delivery logs record it: in full for GET, without its query for POST.
	 * @return the URL to log
	 */
	public String loggedUrl() {
		if ("GET".equals(this.method)) {
			return this.url;
		}
		int query = this.url.indexOf('?');
		return (query >= 0) ? this.url.substring(0, query) : this.url;
	}

}
