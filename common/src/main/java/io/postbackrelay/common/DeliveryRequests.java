package io.postbackrelay.common;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import okhttp3.HttpUrl;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds the request of one delivery: GET with every non-empty parameter in the query, or
 * filled into the partner's URL template; POST with a JSON object, signed per Standard
 * Webhooks when the partner has a secret. One piece of code, so that admin-api's preview
 * shows exactly what the dispatcher sends.
 */
public final class DeliveryRequests {

	/** Header with the received postback's id. */
	public static final String POSTBACK_ID = "X-Postback-Id";

	/** Header with the delivery's stable id, for partners to de-duplicate on. */
	public static final String DELIVERY_ID = "X-Delivery-Id";

	/** Header with the attempt number, from 1. */
	public static final String DELIVERY_ATTEMPT = "X-Delivery-Attempt";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_-]+)}");

	private static final String SECRET_PREFIX = "whsec_";

	private DeliveryRequests() {
	}

	/**
	 * The request that delivers a task to a partner.
	 * @param target the partner's URL, method and signing secret
	 * @param task the delivery
	 * @param attempt the attempt number, from 1
	 * @param userAgent the {@code User-Agent} to send
	 * @param now the time to sign with
	 * @param json the JSON writer for POST bodies
	 * @return the request
	 * @throws InvalidPartnerTarget if the URL is not an absolute http(s) URL or the
	 * secret is malformed
	 */
	public static DeliveryRequest build(Target target, DeliveryTask task, int attempt, String userAgent, Instant now,
			ObjectMapper json) {
		Map<String, String> data = new LinkedHashMap<>();
		task.params().forEach((name, value) -> {
			if (value != null && !value.isEmpty()) {
				data.put(name, value);
			}
		});
		List<String> missing = new ArrayList<>();
		String template = (target.postbackUrl() != null) ? target.postbackUrl() : "";
		boolean templated = PLACEHOLDER.matcher(template).find();
		HttpUrl url = parse(templated ? fill(template, data, builtins(task, attempt), missing) : template);
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("User-Agent", userAgent);
		headers.put(POSTBACK_ID, task.postbackId());
		headers.put(DELIVERY_ID, task.deliveryId());
		headers.put(DELIVERY_ATTEMPT, Integer.toString(attempt));
		if ("POST".equals(target.method())) {
			String body = json.writeValueAsString(data);
			headers.put("Content-Type", "application/json");
			if (target.signingSecret() != null && !target.signingSecret().isBlank()) {
				sign(headers, target.signingSecret(), task.deliveryId(), now, body);
			}
			return new DeliveryRequest("POST", url.toString(), headers, body, data, missing);
		}
		if (!templated) {
			HttpUrl.Builder withQuery = url.newBuilder();
			data.forEach(withQuery::addQueryParameter);
			url = withQuery.build();
		}
		return new DeliveryRequest("GET", url.toString(), headers, null, data, missing);
	}

	/**
	 * The Standard Webhooks signature of a payload.
	 * @param secret {@code whsec_<base64>}, or any other text used as its UTF-8 bytes
	 * @param content {@code id.timestamp.body}
	 * @return the base64 HMAC-SHA256
	 */
	public static String signature(String secret, String content) {
		byte[] key;
		try {
			key = secret.startsWith(SECRET_PREFIX)
					? Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()))
					: secret.getBytes(StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPartnerTarget("Invalid signing secret: whsec_ must be followed by base64");
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required of every JVM", ex);
		}
	}

	private static void sign(Map<String, String> headers, String secret, String id, Instant now, String body) {
		String timestamp = Long.toString(now.getEpochSecond());
		headers.put("webhook-id", id);
		headers.put("webhook-timestamp", timestamp);
		headers.put("webhook-signature", "v1," + signature(secret, id + "." + timestamp + "." + body));
	}

	private static Map<String, String> builtins(DeliveryTask task, int attempt) {
		Map<String, String> builtins = new LinkedHashMap<>();
		builtins.put("postback_id", task.postbackId());
		builtins.put("delivery_id", task.deliveryId());
		builtins.put("source", (task.sourceName() != null) ? task.sourceName() : "");
		String timestamp = task.params().get("timestamp");
		builtins.put("timestamp", (timestamp != null && !timestamp.isEmpty()) ? timestamp
				: (task.receivedAt() != null) ? Long.toString(task.receivedAt().getEpochSecond()) : "");
		builtins.put("attempt", Integer.toString(attempt));
		return builtins;
	}

	private static String fill(String template, Map<String, String> data, Map<String, String> builtins,
			List<String> missing) {
		Matcher matcher = PLACEHOLDER.matcher(template);
		StringBuilder filled = new StringBuilder();
		while (matcher.find()) {
			String name = matcher.group(1);
			String value = builtins.containsKey(name) ? builtins.get(name) : data.get(name);
			if (value == null || value.isEmpty()) {
				missing.add(name);
				value = "";
			}
			matcher.appendReplacement(filled, Matcher.quoteReplacement(encode(value)));
		}
		matcher.appendTail(filled);
		return filled.toString();
	}

	private static String encode(String value) {
		// form encoding writes a space as '+', which is a literal plus in a path
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static HttpUrl parse(String url) {
		HttpUrl parsed = HttpUrl.parse(url);
		if (parsed == null) {
			throw new InvalidPartnerTarget("Invalid partner URL: must be an absolute http(s) URL");
		}
		return parsed;
	}

	/**
	 * Where and how a partner receives postbacks.
	 *
	 * @param postbackUrl the URL, possibly with {@code {name}} placeholders
	 * @param method {@code GET} or {@code POST}
	 * @param signingSecret the Standard Webhooks secret, or {@code null}
	 */
	public record Target(String postbackUrl, String method, String signingSecret) {
	}

}
