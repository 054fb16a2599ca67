package io.postbackrelay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The naive design Postback Relay is compared with, as a simple one-service
 * implementation would do it: store the postback, then call every partner one after the
 * other inside the request, then answer. Same framework, JVM settings and store as the
 * relay.
 */
public class NaiveApplication {

	public static void main(String[] args) {
		BareApplication.run(args, Naive.class);
	}

	@RestController
	static class Naive implements AutoCloseable {

		private final MongoClient client;

		private final MongoCollection<Document> postbacks;

		private final List<String> partners;

		private final Duration timeout;

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

		Naive(@Value("${naive.mongo-uri}") String mongoUri, @Value("${naive.partners}") List<String> partners,
				@Value("${naive.timeout:1s}") Duration timeout) {
			this.client = MongoClients.create(mongoUri);
			this.postbacks = this.client.getDatabase("naive_relay").getCollection("received_postbacks");
			this.partners = partners;
			this.timeout = timeout;
		}

		@GetMapping("/postback/{key}")
		Map<String, String> receive(@PathVariable String key, @RequestParam Map<String, String> params) {
			String id = new ObjectId().toHexString();
			this.postbacks.insertOne(new Document("_id", id).append("source", key)
				.append("params", new Document(params))
				.append("receivedAt", Instant.now()));
			String query = params.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.reduce((a, b) -> a + "&" + b)
				.orElse("");
			for (String partner : this.partners) {
				HttpRequest request = HttpRequest.newBuilder(URI.create(partner + "?" + query))
					.timeout(this.timeout)
					.header("X-Postback-Id", id)
					.header("X-Delivery-Id", UUID.nameUUIDFromBytes((id + partner).getBytes()).toString())
					.build();
				try {
					this.http.send(request, HttpResponse.BodyHandlers.discarding());
				}
				catch (IOException ex) {
					// a naive relay logs the failure and moves on: this delivery is lost
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return Map.of("status", "accepted", "id", id);
		}

		@Override
		public void close() {
			this.client.close();
		}

	}

}
