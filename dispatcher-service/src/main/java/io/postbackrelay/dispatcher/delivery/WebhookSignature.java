package io.postbackrelay.dispatcher.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import okhttp3.Request;

import org.springframework.stereotype.Component;

/**
 * Signs POST deliveries per the Standard Webhooks specification: {@code webhook-id},
 * {@code webhook-timestamp} and {@code webhook-signature: v1,<base64 HMAC-SHA256>} over
 * {@code id.timestamp.body}. A secret of the form {@code whsec_<base64>} is decoded; any
 * other secret is used as its UTF-8 bytes.
 */
@Component
class WebhookSignature {

	private static final String PREFIX = "whsec_";

	private final Clock clock;

	WebhookSignature(Clock clock) {
		this.clock = clock;
	}

	void sign(Request.Builder request, String secret, String id, String body) {
		String timestamp = Long.toString(this.clock.instant().getEpochSecond());
		request.header("webhook-id", id)
			.header("webhook-timestamp", timestamp)
			.header("webhook-signature", "v1," + signature(secret, id + "." + timestamp + "." + body));
	}

	static String signature(String secret, String content) {
		byte[] key;
		try {
			key = secret.startsWith(PREFIX) ? Base64.getDecoder().decode(secret.substring(PREFIX.length()))
					: secret.getBytes(StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new PermanentDeliveryFailure("Invalid signing secret: whsec_ must be followed by base64");
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

}
