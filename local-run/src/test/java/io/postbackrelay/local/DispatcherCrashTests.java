package io.postbackrelay.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher killed with SIGKILL in the middle of a stream (no shutdown, no commit,
 * nothing flushed), then started again: every accepted postback still reaches both demo
 * partners, each under one delivery id per partner.
 */
class DispatcherCrashTests {

	private static final Pattern CLICK = Pattern.compile("(crash-\\d+)");

	private static final Pattern DELIVERY = Pattern.compile("\\(delivery ([^)]+)\\)");

	@TempDir
	Path data;

	@Test
	void dispatcherKilledMidStreamLosesNoDelivery() throws Exception {
		LocalSettings settings = LocalSettings.onFreePorts(this.data, null, List.of(), true);
		PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
		HttpClient http = HttpClient.newHttpClient();
		try (LocalRelay relay = new LocalRelay(settings, out).start()) {
			String key = relay.credentials().sourceKey();
			List<String> clicks = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				clicks.add("crash-" + i);
				assertThat(send(http, settings, key, "crash-" + i)).isEqualTo(200);
			}
			// some delivered, most not yet: the crash comes mid-stream
			await().atMost(Duration.ofSeconds(60)).until(() -> relay.partner().received().size() >= 4);

			relay.crashAndRestartDispatcher();
			for (int i = 30; i < 40; i++) {
				clicks.add("crash-" + i);
				assertThat(send(http, settings, key, "crash-" + i)).isEqualTo(200);
			}

			await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
				Map<String, Set<String>> byPartner = deliveryIdsByClickAndMethod(relay.partner().received());
				for (String click : clicks) {
					assertThat(byPartner).containsKeys("GET " + click, "POST " + click);
				}
			});
			// at least once, and a repeat only under the delivery id of its first try
			deliveryIdsByClickAndMethod(relay.partner().received())
				.forEach((delivery, ids) -> assertThat(ids).as(delivery).hasSize(1));
		}
	}

	private static int send(HttpClient http, LocalSettings settings, String key, String click) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + settings.ingestPort() + "/postback/" + key + "?click_id="
					+ click + "&status=approved&payout=1"))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * Delivery ids seen per "METHOD click" (the GET partner and the POST partner).
	 */
	private static Map<String, Set<String>> deliveryIdsByClickAndMethod(List<String> lines) {
		Map<String, Set<String>> ids = new HashMap<>();
		for (String line : lines) {
			Matcher click = CLICK.matcher(line);
			Matcher delivery = DELIVERY.matcher(line);
			if (click.find() && delivery.find()) {
				String method = line.contains("] GET ") ? "GET" : "POST";
				ids.computeIfAbsent(method + " " + click.group(1), (k) -> new HashSet<>()).add(delivery.group(1));
			}
		}
		return ids;
	}

}
