package io.postbackrelay.dispatcher.delivery;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.dispatcher.partner.DeliveryMethod;
import io.postbackrelay.dispatcher.partner.Partner;
import io.postbackrelay.dispatcher.system.DispatcherProperties;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Builds the request of one delivery: GET with the parameters in the query or filled into
 * the partner's URL template, or POST with a JSON body; empty values are dropped.
 */
@Component
public class DeliveryRequests {

	/** Header with the received postback's id. */
	public static final String POSTBACK_ID = "X-Postback-Id";

	/** Header with the delivery's stable id, for partners to de-duplicate on. */
	public static final String DELIVERY_ID = "X-Delivery-Id";

	/** Header with the attempt number, from 1. */
	public static final String DELIVERY_ATTEMPT = "X-Delivery-Attempt";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_-]+)}");

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	private static final MediaType JSON = MediaType.get("application/json");

	private final ObjectMapper json;

	private final WebhookSignature signature;

	private final String userAgent;

	private final boolean allowPrivateTargets;

	DeliveryRequests(ObjectMapper json, WebhookSignature signature, ObjectProvider<BuildProperties> build,
			DispatcherProperties properties) {
		this.json = json;
		this.signature = signature;
		this.allowPrivateTargets = properties.delivery().allowPrivateTargets();
		BuildProperties info = build.getIfAvailable();
		this.userAgent = "PostbackRelay/" + ((info != null) ? info.getVersion() : "dev");
	}

	/**
	 * The request that delivers a task to a partner.
	 * @param partner the partner as it is now
	 * @param task the delivery
	 * @param attempt the attempt number, from 1
	 * @return the prepared request
	 * @throws PermanentDeliveryFailure if the partner's URL is not a valid http(s) URL
	 */
	public PreparedDelivery prepare(Partner partner, DeliveryTask task, int attempt) {
		Map<String, String> data = new LinkedHashMap<>();
		task.params().forEach((name, value) -> {
			if (value != null && !value.isEmpty()) {
				data.put(name, value);
			}
		});
		List<String> missing = new ArrayList<>();
		String template = (partner.postbackUrl() != null) ? partner.postbackUrl() : "";
		boolean templated = PLACEHOLDER.matcher(template).find();
		HttpUrl url = parse(templated ? fill(template, data, builtins(task, attempt), missing) : template);
		Request.Builder request = new Request.Builder().header("User-Agent", this.userAgent)
			.header(POSTBACK_ID, task.postbackId())
			.header(DELIVERY_ID, task.deliveryId())
			.header(DELIVERY_ATTEMPT, Integer.toString(attempt));
		if (partner.method() == DeliveryMethod.POST) {
			String body = this.json.writeValueAsString(data);
			request.url(url).post(RequestBody.create(body, JSON));
			if (partner.signingSecret() != null && !partner.signingSecret().isBlank()) {
				this.signature.sign(request, partner.signingSecret(), task.deliveryId(), body);
			}
			return new PreparedDelivery(request.build(), DeliveryMethod.POST,
					url.newBuilder().query(null).build().toString(), data, missing);
		}
		if (!templated) {
			HttpUrl.Builder withQuery = url.newBuilder();
			data.forEach(withQuery::addQueryParameter);
			url = withQuery.build();
		}
		return new PreparedDelivery(request.url(url).get().build(), DeliveryMethod.GET, url.toString(), data, missing);
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

	private HttpUrl parse(String url) {
		HttpUrl parsed = HttpUrl.parse(url);
		if (parsed == null) {
			throw new PermanentDeliveryFailure("Invalid partner URL: must be an absolute http(s) URL");
		}
		// OkHttp connects to an address literal without asking its Dns, so check it here
		if (!this.allowPrivateTargets && IP_LITERAL.matcher(parsed.host()).matches()) {
			try {
				if (PrivateTargets.isPrivate(InetAddress.getByName(parsed.host()))) {
					throw new PermanentDeliveryFailure("Partner URL targets a private, loopback or link-local address,"
							+ " which is refused (relay.dispatcher.delivery.allow-private-targets)");
				}
			}
			catch (UnknownHostException ex) {
				throw new PermanentDeliveryFailure("Invalid partner URL host: " + parsed.host());
			}
		}
		return parsed;
	}

}
