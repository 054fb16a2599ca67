package io.postbackrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.SourceKeys;
import org.bson.Document;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real services of a test, on topics and a database of their own: starts any of them
 * in this JVM, creates sources and partners the way admin-api stores them, and sends
 * postbacks to the running ingest service over HTTP.
 */
public final class RelayStack implements AutoCloseable {

	private final String database = RelayInfrastructure.newDatabaseName();

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	private final MongoClient mongoClient = MongoClients.create(RelayInfrastructure.endpoints().mongoUri(""));

	private ConfigurableApplicationContext ingest;

	/**
	 * The {@code postbacks} topic of this stack.
	 * @return its name
	 */
	public String postbacksTopic() {
		return "postbacks-" + this.suffix;
	}

	/**
	 * The {@code deliveries} topic of this stack.
	 * @return its name
	 */
	public String deliveriesTopic() {
		return "deliveries-" + this.suffix;
	}

	/**
	 * Properties every service of this stack shares: Kafka, MongoDB, topic names.
	 * @return property names and values
	 */
	public Map<String, String> properties() {
		Map<String, String> properties = new HashMap<>(RelayInfrastructure.properties(this.database));
		properties.put("relay.ingest.topic", postbacksTopic());
		properties.put("relay.ingest.topic-partitions", "3");
		properties.put("relay.dispatcher.topics.postbacks", postbacksTopic());
		properties.put("relay.dispatcher.topics.postbacks-dlt", postbacksTopic() + "-dlt");
		properties.put("relay.dispatcher.topics.deliveries", deliveriesTopic());
		properties.put("relay.dispatcher.topics.partitions", "3");
		properties.put("relay.dispatcher.delivery.allow-private-targets", "true");
		properties.put("relay.dispatcher.partner-refresh", "200ms");
		properties.put("relay.admin.topics.postbacks", postbacksTopic());
		properties.put("relay.admin.topics.deliveries", deliveriesTopic());
		properties.put("spring.kafka.consumer.group-id", "dispatcher-" + this.suffix);
		return properties;
	}

	/**
	 * {@link #properties()} with one {@code deliveries} partition and one consumer per
	 * dispatcher listener: every partner's deliveries share each poll, and no consumer
	 * joining later rebalances a stream.
	 * @return property names and values
	 */
	public Map<String, String> onePartitionProperties() {
		Map<String, String> properties = properties();
		properties.put("relay.dispatcher.topics.partitions", "1");
		properties.put("relay.dispatcher.fan-out-concurrency", "1");
		properties.put("relay.dispatcher.delivery-concurrency", "1");
		return properties;
	}

	/**
	 * Starts a service of this stack on a free port.
	 * @param application the service's application
	 * @param extra further {@code --name=value} arguments
	 * @return the running service
	 */
	public ConfigurableApplicationContext start(SpringApplication application, String... extra) {
		List<String> args = new ArrayList<>();
		properties().forEach((name, value) -> args.add("--" + name + "=" + value));
		args.add("--server.port=0");
		args.addAll(List.of(extra));
		ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
		this.started.add(context);
		return context;
	}

	/**
	 * Starts the ingest service; {@link #send} posts to it.
	 * @param application the ingest application
	 * @param extra further {@code --name=value} arguments
	 * @return this stack
	 */
	public RelayStack startIngest(SpringApplication application, String... extra) {
		this.ingest = start(application, extra);
		return this;
	}

	/**
	 * This stack's database.
	 * @return the MongoDB database
	 */
	public MongoDatabase mongo() {
		return this.mongoClient.getDatabase(this.database);
	}

	/**
	 * Creates an active source with id {@code src-<name>}.
	 * @param name the source's name
	 * @return its key
	 */
	public String createSource(String name) {
		String key = "key-" + UUID.randomUUID();
		mongo().getCollection(CollectionNames.SOURCES)
			.insertOne(new Document("_id", "src-" + name).append("name", name)
				.append("keyHash", SourceKeys.hash(key))
				.append("keyPrefix", key.substring(0, 8))
				.append("active", true)
				.append("allowedIps", List.of()));
		return key;
	}

	/**
	 * Creates an active partner.
	 * @param name its name
	 * @param url its postback URL
	 * @param method GET or POST
	 * @param rules its rules, or {@code null} for none
	 * @param extra further fields, or {@code null}
	 * @return its id
	 */
	public String createPartner(String name, String url, String method, Document rules, Document extra) {
		return createPartner("partner-" + name + "-" + UUID.randomUUID().toString().substring(0, 4), name, url, method,
				rules, extra);
	}

	/**
	 * Creates an active partner with the given id (which decides its deliveries'
	 * partition).
	 * @param id its id
	 * @param name its name
	 * @param url its postback URL
	 * @param method GET or POST
	 * @param rules its rules, or {@code null} for none
	 * @param extra further fields, or {@code null}
	 * @return its id
	 */
	public String createPartner(String id, String name, String url, String method, Document rules, Document extra) {
		Document partner = new Document("_id", id).append("name", name)
			.append("email", name + "@example.com")
			.append("postbackUrl", url)
			.append("method", method)
			.append("active", true)
			.append("rules", (rules != null) ? rules : new Document());
		if (extra != null) {
			partner.putAll(extra);
		}
		mongo().getCollection(CollectionNames.PARTNERS).insertOne(partner);
		return id;
	}

	/**
	 * Deactivates every partner, so partners without rules stay out of the next test.
	 */
	public void deactivatePartners() {
		mongo().getCollection(CollectionNames.PARTNERS).updateMany(new Document(), Updates.set("active", false));
	}

	/**
	 * A document by id.
	 * @param collection the collection
	 * @param id the id
	 * @return the document, or {@code null}
	 */
	public Document find(String collection, String id) {
		return mongo().getCollection(collection).find(Filters.eq("_id", id)).first();
	}

	/**
	 * The attempt logs of a postback, oldest first.
	 * @param postbackId the received postback's id
	 * @return its attempts
	 */
	public List<Document> attempts(String postbackId) {
		return mongo().getCollection(CollectionNames.PARTNER_POSTBACK_LOGS)
			.find(Filters.eq("sourceLogId", postbackId))
			.sort(Sorts.ascending("timestamp"))
			.into(new ArrayList<>());
	}

	/**
	 * Sends a postback to ingest with a GET and returns the raw answer.
	 * @param key the source key
	 * @param query the query string
	 * @return the response
	 */
	public HttpResponse<String> sendRaw(String key, String query) {
		return get(port(this.ingest), "/postback/" + key + "?" + query);
	}

	/**
	 * Sends a postback to ingest with a GET.
	 * @param key the source key
	 * @param query the query string
	 * @return the postback id ingest answered
	 */
	public String send(String key, String query) {
		HttpResponse<String> response = sendRaw(key, query);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Ingest answered " + response.statusCode() + ": " + response.body());
		}
		return this.json.readTree(response.body()).get("id").asString();
	}

	/**
	 * The HTTP port a started service listens on.
	 * @param service the service
	 * @return its port
	 */
	public static int port(ConfigurableApplicationContext service) {
		return Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
	}

	/**
	 * A GET to a service.
	 * @param port the service's port
	 * @param path the path and query
	 * @return the response
	 */
	public HttpResponse<String> get(int port, String path) {
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

	@Override
	public void close() {
		this.started.forEach(ConfigurableApplicationContext::close);
		this.mongoClient.close();
	}

}
