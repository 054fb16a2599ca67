package io.postbackrelay.dispatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.SourceKeys;
import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.RelayInfrastructure;
import org.bson.Document;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * The real pipeline around a dispatcher under test: its own topics and database, the real
 * ingest service started on them, and helpers to create sources and partners the way
 * admin-api stores them and to send postbacks over HTTP.
 */
final class Pipeline implements AutoCloseable {

	final String database = RelayInfrastructure.newDatabaseName();

	final String suffix = UUID.randomUUID().toString().substring(0, 8);

	final String postbacksTopic = "postbacks-" + this.suffix;

	final String deliveriesTopic = "deliveries-" + this.suffix;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private ConfigurableApplicationContext ingest;

	/**
	 * The properties a dispatcher needs to join this pipeline.
	 */
	Map<String, String> dispatcherProperties() {
		Map<String, String> properties = new java.util.HashMap<>(RelayInfrastructure.properties(this.database));
		properties.put("relay.dispatcher.topics.postbacks", this.postbacksTopic);
		properties.put("relay.dispatcher.topics.postbacks-dlt", this.postbacksTopic + "-dlt");
		properties.put("relay.dispatcher.topics.deliveries", this.deliveriesTopic);
		properties.put("relay.dispatcher.topics.partitions", "3");
		properties.put("spring.kafka.consumer.group-id", "dispatcher-" + this.suffix);
		properties.put("relay.dispatcher.delivery.allow-private-targets", "true");
		properties.put("relay.dispatcher.partner-refresh", "200ms");
		return properties;
	}

	/**
	 * Starts the ingest service on this pipeline's topic and database.
	 * @return the pipeline
	 */
	Pipeline startIngest() {
		List<String> args = new ArrayList<>();
		RelayInfrastructure.properties(this.database).forEach((name, value) -> args.add("--" + name + "=" + value));
		args.add("--server.port=0");
		args.add("--relay.ingest.topic=" + this.postbacksTopic);
		args.add("--relay.ingest.topic-partitions=3");
		args.add("--spring.application.name=ingest-under-test");
		this.ingest = IngestApplication.application().run(args.toArray(String[]::new));
		return this;
	}

	MongoTemplate mongo() {
		return this.ingest.getBean(MongoTemplate.class);
	}

	/**
	 * Creates an active source.
	 * @return its key
	 */
	String createSource(String name) {
		String key = "key-" + UUID.randomUUID();
		mongo().insert(new Document("_id", "src-" + name).append("name", name)
			.append("keyHash", SourceKeys.hash(key))
			.append("active", true)
			.append("allowedIps", List.of()), CollectionNames.SOURCES);
		return key;
	}

	/**
	 * Creates a partner as admin-api would store it.
	 * @return its id
	 */
	String createPartner(String name, String url, String method, Document rules, Document extra) {
		String id = "partner-" + name + "-" + UUID.randomUUID().toString().substring(0, 4);
		Document partner = new Document("_id", id).append("name", name)
			.append("email", name + "@example.com")
			.append("postbackUrl", url)
			.append("method", method)
			.append("active", true)
			.append("rules", (rules != null) ? rules : new Document());
		if (extra != null) {
			partner.putAll(extra);
		}
		mongo().insert(partner, CollectionNames.PARTNERS);
		return id;
	}

	/**
	 * Sends a postback with a GET and returns the postback id ingest answered.
	 */
	String send(String key, String query) {
		HttpResponse<String> response = get("/postback/" + key + "?" + query);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Ingest answered " + response.statusCode() + ": " + response.body());
		}
		return this.json.readTree(response.body()).get("id").asString();
	}

	HttpResponse<String> get(String path) {
		int port = Integer.parseInt(this.ingest.getEnvironment().getProperty("local.server.port"));
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	List<Document> attempts(String postbackId) {
		return mongo().find(
				org.springframework.data.mongodb.core.query.Query
					.query(org.springframework.data.mongodb.core.query.Criteria.where("sourceLogId").is(postbackId))
					.with(org.springframework.data.domain.Sort.by("timestamp")),
				Document.class, CollectionNames.PARTNER_POSTBACK_LOGS);
	}

	@Override
	public void close() {
		if (this.ingest != null) {
			this.ingest.close();
		}
	}

}
