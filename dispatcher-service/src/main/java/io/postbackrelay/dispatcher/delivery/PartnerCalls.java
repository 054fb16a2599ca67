package io.postbackrelay.dispatcher.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;

import org.springframework.stereotype.Component;

/**
 * Calls partners with the one shared OkHttp client, asynchronously, each call bounded by
 * the partner's own timeout (which covers a partner that trickles its answer).
 */
@Component
class PartnerCalls {

	static final int BODY_CHARS = 500;

	private final OkHttpClient client;

	private final Clock clock;

	PartnerCalls(OkHttpClient client, Clock clock) {
		this.client = client;
		this.clock = clock;
	}

	CompletableFuture<CallResult> send(PreparedDelivery delivery, Duration timeout) {
		CompletableFuture<CallResult> result = new CompletableFuture<>();
		Call call = this.client.newCall(delivery.request());
		call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
		long started = System.nanoTime();
		call.enqueue(new Callback() {

			@Override
			public void onResponse(Call call, Response response) {
				try (response) {
					String body = firstChars(response.body());
					result.complete(new CallResult(response.code(), body, retryAfter(response.header("Retry-After")),
							Duration.ofNanos(System.nanoTime() - started)));
				}
				catch (IOException ex) {
					result.completeExceptionally(ex);
				}
			}

			@Override
			public void onFailure(Call call, IOException ex) {
				result.completeExceptionally(ex);
			}

		});
		return result;
	}

	private static String firstChars(ResponseBody body) throws IOException {
		try (InputStream in = body.byteStream()) {
			// UTF-8 takes at most 4 bytes a character
			String text = new String(in.readNBytes(BODY_CHARS * 4), StandardCharsets.UTF_8);
			return (text.length() > BODY_CHARS) ? text.substring(0, BODY_CHARS) : text;
		}
	}

	private Duration retryAfter(String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
		}
		catch (NumberFormatException ex) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
				Duration wait = Duration.between(this.clock.instant(), at.toInstant());
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeParseException unparseable) {
				return null;
			}
		}
	}

}
