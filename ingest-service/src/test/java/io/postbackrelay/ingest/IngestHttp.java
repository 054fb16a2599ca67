package io.postbackrelay.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Predicate;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.SourceKeys;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Calls a running ingest service over real HTTP, and creates sources the way admin-api
 * stores them.
 */
final class IngestHttp {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	IngestHttp(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	HttpResponse<String> get(String pathAndQuery, String... headers) {
		return send(HttpRequest.newBuilder(URI.create(this.base + pathAndQuery)).GET(), headers);
	}

	HttpResponse<String> post(String pathAndQuery, String contentType, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + pathAndQuery))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(request, headers);
	}

	/**
	 * Sums the samples of a metric in ingest's Prometheus scrape.
	 * @param series the start of the metric's lines: its name and the brace its tags open
	 * with
	 * @param counted which of those lines count
	 * @return the sum, or empty if no line counted
	 */
	OptionalDouble metric(String series, Predicate<String> counted) {
		double[] values = get("/actuator/prometheus").body()
			.lines()
			.filter((line) -> line.startsWith(series) && counted.test(line))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.toArray();
		return (values.length > 0) ? OptionalDouble.of(Arrays.stream(values).sum()) : OptionalDouble.empty();
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Creates a source and returns its key, as an admin would.
	 */
	static NewSource createSource(MongoTemplate mongo, String name, boolean active, List<String> allowedIps) {
		String key = "key-" + UUID.randomUUID();
		String id = "src-" + UUID.randomUUID().toString().substring(0, 8);
		mongo.insert(new Document("_id", id).append("name", name)
			.append("keyHash", SourceKeys.hash(key))
			.append("active", active)
			.append("allowedIps", allowedIps), CollectionNames.SOURCES);
		return new NewSource(id, key);
	}

	record NewSource(String id, String key) {
	}

}
