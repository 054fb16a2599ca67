package io.postbackrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import de.bwaldvogel.mongo.MongoServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The Kafka broker and MongoDB server that integration tests run against, chosen once per
 * JVM in this order: addresses from {@code RELAY_TEST_KAFKA_BOOTSTRAP} and
 * {@code RELAY_TEST_MONGODB_URI}; Testcontainers when a Docker engine answers; otherwise
 * an in-JVM Apache Kafka KRaft broker and an in-JVM MongoDB wire-protocol server.
 */
public final class RelayInfrastructure {

	private static final Logger logger = LoggerFactory.getLogger(RelayInfrastructure.class);

	private static Endpoints endpoints;

	private RelayInfrastructure() {
	}

	/**
	 * The shared endpoints, started on first use and kept for the JVM's life.
	 * @return where Kafka and MongoDB answer
	 */
	public static synchronized Endpoints endpoints() {
		if (endpoints == null) {
			endpoints = new Endpoints(KafkaProvider.start(), MongoProvider.start());
			logger.info("Integration tests use Kafka from {} at {} and MongoDB from {} at {}", endpoints.kafka().kind(),
					endpoints.kafka().address(), endpoints.mongo().kind(), endpoints.mongo().address());
		}
		return endpoints;
	}

	/**
	 * Registers Spring Boot's Kafka and MongoDB properties for a test context, with a
	 * database of its own so test classes do not see each other's documents.
	 * @param registry the test's dynamic property registry
	 */
	public static void register(DynamicPropertyRegistry registry) {
		properties(newDatabaseName()).forEach((name, value) -> registry.add(name, () -> value));
	}

	/**
	 * Spring Boot's Kafka and MongoDB properties for a given database, for tests that
	 * start several services on one database.
	 * @param database the database name
	 * @return property names and values
	 */
	public static Map<String, String> properties(String database) {
		Endpoints endpoints = endpoints();
		return Map.of("spring.kafka.bootstrap-servers", endpoints.kafka().address(), "spring.mongodb.uri",
				endpoints.mongo().uri(database), "spring.mongodb.database", database);
	}

	/**
	 * A database name no other test uses.
	 * @return the name
	 */
	public static String newDatabaseName() {
		return "relay-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Starts a Kafka broker of a test's own in this JVM, for tests that stop it.
	 * @return the started broker; the test destroys it
	 */
	public static EmbeddedKafkaKraftBroker startOwnKafka() {
		return KafkaProvider.inJvmBroker();
	}

	/**
	 * Starts a MongoDB wire-protocol server of a test's own in this JVM, for tests that
	 * stop it.
	 * @return the started server; the test shuts it down
	 */
	public static MongoServer startOwnMongo() {
		return MongoProvider.inJvmServer();
	}

	/**
	 * A TCP port that was free a moment ago.
	 * @return a port number
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Where the test infrastructure answers.
	 *
	 * @param kafka the Kafka broker
	 * @param mongo the MongoDB server
	 */
	public record Endpoints(Server kafka, Server mongo) {

		/**
		 * The Kafka bootstrap address.
		 * @return host:port
		 */
		public String kafkaBootstrap() {
			return this.kafka.address();
		}

		/**
		 * A connection string for a database on the MongoDB server.
		 * @param database the database name
		 * @return a MongoDB URI
		 */
		public String mongoUri(String database) {
			return this.mongo.uri(database);
		}

	}

	/**
	 * One server the tests use.
	 *
	 * @param kind how it was provided: {@code environment}, {@code testcontainers} or
	 * {@code in-jvm}
	 * @param address its address (a bootstrap list or a MongoDB URI without database)
	 */
	public record Server(String kind, String address) {

		String uri(String database) {
			String base = this.address;
			int query = base.indexOf('?');
			String options = (query >= 0) ? base.substring(query) : "";
			String head = (query >= 0) ? base.substring(0, query) : base;
			int slash = head.indexOf('/', "mongodb://".length());
			if (slash >= 0) {
				head = head.substring(0, slash);
			}
			return head + "/" + database + options;
		}

	}

}
