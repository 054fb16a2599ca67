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

import io.postbackrelay.testing.RelayInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local stack exactly as {@code ./relay-local} starts it (a Kafka broker process, the
 * on-disk embedded store, three service processes, demo data): a postback reaches both
 * demo partners, and a second start keeps the data.
 */
class LocalRelayTests {

	@TempDir
	Path data;

	@Test
	void postbackSentToTheLocalStackReachesBothDemoPartnersAndARestartKeepsTheData() throws Exception {
		LocalSettings settings = new LocalSettings(this.data, RelayInfrastructure.freePort(),
				RelayInfrastructure.freePort(), null, RelayInfrastructure.freePort(), RelayInfrastructure.freePort(),
				RelayInfrastructure.freePort(), RelayInfrastructure.freePort());
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
		String key;
		try (LocalRelay relay = new LocalRelay(settings, out).start()) {
			relay.printNextSteps();
			key = relay.credentials().sourceKey();
			assertThat(output.toString(StandardCharsets.UTF_8)).contains("/postback/" + key)
				.contains("/admin/")
				.contains(relay.credentials().adminToken());

			assertThat(get(settings.ingestPort(), "/postback/" + key + "?click_id=local-1&status=approved&payout=2.5"))
				.isEqualTo(200);

			await().atMost(Duration.ofSeconds(60)).until(() -> relay.partner().received().size() >= 2);
			assertThat(relay.partner().received()).anySatisfy(
					(line) -> assertThat(line).startsWith("[demo partner] GET /get/local-1?status=approved&payout=2.5"))
				.anySatisfy((line) -> assertThat(line).startsWith("[demo partner] POST /post")
					.contains("\"click_id\":\"local-1\""));
		}
		try (LocalRelay again = new LocalRelay(settings, out).start()) {
			assertThat(again.credentials().sourceKey()).isEqualTo(key);
			assertThat(get(settings.ingestPort(), "/postback/" + key + "?click_id=local-1&status=approved"))
				.as("the first postback is still stored, so this one is a duplicate")
				.isEqualTo(200);
			assertThat(body(settings.ingestPort(), "/postback/" + key + "?click_id=local-1&status=approved"))
				.contains("\"duplicate\":true");
		}
	}

	private static int get(int port, String path) throws Exception {
		return send(port, path).statusCode();
	}

	private static String body(int port, String path) throws Exception {
		return send(port, path).body();
	}

	private static HttpResponse<String> send(int port, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
