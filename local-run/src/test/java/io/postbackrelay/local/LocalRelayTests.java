package io.postbackrelay.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

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
		LocalSettings settings = LocalSettings.onFreePorts(this.data, null, List.of(), false);
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

	/**
	 * Dashboards and alerts name metrics as text; a renamed metric would break them
	 * silently. So after traffic that also makes a retry and a dead letter, every metric
	 * they name must be in what the three services export.
	 */
	private static void everyMetricThatDashboardsAndAlertsUseIsExported(LocalSettings settings, String key)
			throws Exception {
		try (MongoClient mongo = MongoClients.create(settings.effectiveMongoUri())) {
			MongoCollection<Document> partners = mongo.getDatabase("postback_relay").getCollection("partners");
			partners.insertOne(new Document("_id", "partner-ftp").append("name", "refused")
				.append("email", "x@example.com")
				.append("postbackUrl", "ftp://partner.example/x")
				.append("method", "GET")
				.append("active", true));
			partners.insertOne(new Document("_id", "partner-closed").append("name", "unreachable")
				.append("email", "y@example.com")
				.append("postbackUrl", "http://127.0.0.1:" + RelayInfrastructure.freePort() + "/x")
				.append("method", "GET")
				.append("active", true));
		}
		await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
		assertThat(get(settings.ingestPort(), "/postback/" + key + "?click_id=local-metrics")).isEqualTo(200);
		Set<String> used = new TreeSet<>();
		for (String file : List.of("ops/prometheus/alerts.yml", "ops/grafana/dashboards/relay.json")) {
			Matcher names = METRIC.matcher(Files.readString(OpsFilesTests.ROOT.resolve(file)));
			while (names.find()) {
				used.add(names.group());
			}
		}
		assertThat(used).contains("relay_dead_letters_total", "relay_deliveries_total",
				"kafka_consumer_fetch_manager_records_lag_max");
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			String exported = body(settings.ingestPort(), "/actuator/prometheus")
					+ body(settings.dispatcherPort(), "/actuator/prometheus")
					+ body(settings.adminPort(), "/actuator/prometheus");
			assertThat(used).allSatisfy((name) -> assertThat(exported).as(name).contains(name));
		});
	}

	private static final Pattern METRIC = Pattern
		.compile("\\b(relay|kafka|http_server|jvm|process|spring_kafka)_[a-z0-9_]+\\b");

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
