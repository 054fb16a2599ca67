package io.postbackrelay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.SourceKeys;
import io.postbackrelay.local.LocalRelay;
import io.postbackrelay.local.LocalSettings;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The running stack a scenario measures.
 *
 * @param relay the local stack
 * @param settings its ports and store
 * @param partners the partner simulator
 * @param db the relay's database
 * @param data the run's scratch folder (logs, scripts)
 * @param warmUpKey the key of a source whose postbacks no partner takes, for warming
 * ingest up without a backlog of deliveries
 */
record Stack(LocalRelay relay, LocalSettings settings, PartnerSimulator partners, MongoDatabase db, Path data,
		String warmUpKey) {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/**
	 * The demo source's postback URL.
	 * @return the URL
	 */
	String ingestUrl() {
		return ingestBase() + ingestPath();
	}

	String ingestBase() {
		return "http://127.0.0.1:" + this.settings.ingestPort();
	}

	String ingestPath() {
		return "/postback/" + this.relay.sourceKey();
	}

	String warmUpPath() {
		return "/postback/" + this.warmUpKey;
	}

	/**
	 * The embedded store ignores secondary indexes, so it scans a whole collection where
	 * MongoDB would use an index: ingest's republisher (twice every 5 s) scans every
	 * stored postback; and the harness's heap, whose GC pauses delay the partner
	 * simulator and the load generator, holds every document. Each scenario therefore
	 * starts without the earlier scenarios' attempt logs and published postbacks, except
	 * the last 10 s: a retry of an attempt handed on while in flight (due after the
	 * partner's timeout plus the first pause, 3.2 s at most here) reads that attempt's
	 * log, and calls the partner again when it finds none.
	 */
	void withoutEarlierRecords() {
		if (this.settings.mongoUri() == null) {
			Date recent = Date.from(Instant.now().minusSeconds(10));
			this.db.getCollection(CollectionNames.PARTNER_POSTBACK_LOGS)
				.deleteMany(Filters.lt("_id", new ObjectId(recent)));
			this.db.getCollection(CollectionNames.RECEIVED_POSTBACKS)
				.deleteMany(Filters.and(Filters.eq("published", true), Filters.lt("receivedAt", recent)));
		}
	}

	/**
	 * The benchmark's partners, each taking the demo source's postbacks, and a source
	 * whose postbacks none takes.
	 */
	void addPartners() throws InterruptedException {
		Document demo = this.db.getCollection(CollectionNames.SOURCES)
			.find(Filters.eq("keyHash", SourceKeys.hash(this.relay.sourceKey())))
			.first();
		// replaced, not inserted: a MongoDB given in RELAY_MONGODB_URI keeps them from
		// earlier runs
		ReplaceOptions upsert = new ReplaceOptions().upsert(true);
		this.db.getCollection(CollectionNames.SOURCES)
			.replaceOne(Filters.eq("_id", Benchmark.WARM_UP_SOURCE),
					new Document("_id", Benchmark.WARM_UP_SOURCE).append("name", Benchmark.WARM_UP_SOURCE)
						.append("keyHash", SourceKeys.hash(this.warmUpKey))
						.append("keyPrefix", this.warmUpKey.substring(0, 8))
						.append("active", true)
						.append("allowedIps", List.of()),
					upsert);
		this.db.getCollection(CollectionNames.PARTNERS).updateMany(new Document(), Updates.set("active", false));
		for (int i = 0; i < Benchmark.PARTNERS; i++) {
			this.db.getCollection(CollectionNames.PARTNERS)
				.replaceOne(Filters.eq("_id", "bench-p" + i),
						new Document("_id", "bench-p" + i).append("name", "p" + i)
							.append("postbackUrl", this.partners.url("p" + i))
							.append("method", "GET")
							.append("active", true)
							.append("rules", new Document("sourceIds", List.of(demo.getString("_id"))))
							.append("timeoutMs", Benchmark.PARTNER_TIMEOUT_MS),
						upsert);
			this.partners.behave("p" + i, Benchmark.healthy());
		}
		// the dispatcher re-reads partners every 2 s in the local run
		Thread.sleep(3000);
	}

	/**
	 * How many attempts the dispatcher has handed on to the next retry topic while their
	 * call was still in flight, because their partner's hold ran out or the partner was
	 * stalled ({@code relay_delivery_handed_on_in_flight_total}).
	 * @return the count since the dispatcher started
	 */
	long handedOnInFlight() throws IOException, InterruptedException {
		URI metrics = URI.create("http://127.0.0.1:" + this.settings.dispatcherPort() + "/actuator/prometheus");
		HttpRequest scrape = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build();
		HttpResponse<String> answer = HTTP.send(scrape, HttpResponse.BodyHandlers.ofString());
		if (answer.statusCode() != 200) {
			throw new IllegalStateException("the dispatcher's metrics answered " + answer.statusCode());
		}
		return answer.body()
			.lines()
			.filter((line) -> line.startsWith("relay_delivery_handed_on_in_flight_total"))
			.mapToLong((line) -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
