package io.postbackrelay.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its data and which ports it uses. Defaults stay clear of a
 * Kafka or MongoDB the developer may already run (9092, 27017).
 *
 * @param dataDir where Kafka's log, the MongoDB store, the demo key and the admin token
 * live
 * @param kafkaPort the broker's client port (its controller uses the next one)
 * @param mongoPort the embedded MongoDB-protocol server's port
 * @param mongoUri a MongoDB to use instead of the embedded one, or {@code null}
 * @param ingestPort ingest-service's port
 * @param dispatcherPort dispatcher-service's port
 * @param adminPort admin-api's port
 * @param demoPartnerPort the demo partner's port
 * @param dispatcherArgs further arguments for the dispatcher (benchmarks shorten retries)
 * @param storeInMemory whether the embedded store keeps its data in memory only (it is
 * several times faster than its on-disk backend, which serialises every document with
 * Java serialization)
 */
public record LocalSettings(Path dataDir, int kafkaPort, int mongoPort, String mongoUri, int ingestPort,
		int dispatcherPort, int adminPort, int demoPartnerPort, List<String> dispatcherArgs, boolean storeInMemory) {

	/**
	 * Settings with no extra dispatcher arguments and the embedded store on disk.
	 */
	public LocalSettings(Path dataDir, int kafkaPort, int mongoPort, String mongoUri, int ingestPort,
			int dispatcherPort, int adminPort, int demoPartnerPort) {
		this(dataDir, kafkaPort, mongoPort, mongoUri, ingestPort, dispatcherPort, adminPort, demoPartnerPort, List.of(),
				false);
	}

	/**
	 * Settings on free ports, for tests and benchmarks. The ports are reserved together,
	 * so none of them is the broker's controller port (the client port + 1), which an
	 * independent pick could return.
	 * @param dataDir where the data lives
	 * @param mongoUri a MongoDB to use instead of the embedded one, or {@code null}
	 * @param dispatcherArgs further arguments for the dispatcher
	 * @param storeInMemory whether the embedded store keeps its data in memory only
	 * @return the settings
	 */
	public static LocalSettings onFreePorts(Path dataDir, String mongoUri, List<String> dispatcherArgs,
			boolean storeInMemory) {
		List<ServerSocket> held = new ArrayList<>();
		try {
			int kafka = reserveKafkaPorts(held);
			int[] ports = new int[6];
			for (int i = 0; i < ports.length; i++) {
				ServerSocket socket = new ServerSocket(0);
				held.add(socket);
				ports[i] = socket.getLocalPort();
			}
			return new LocalSettings(dataDir, kafka, ports[0], mongoUri, ports[1], ports[2], ports[3], ports[4],
					dispatcherArgs, storeInMemory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (ServerSocket socket : held) {
				try {
					socket.close();
				}
				catch (IOException ignored) {
					// freed either way
				}
			}
		}
	}

	private static int reserveKafkaPorts(List<ServerSocket> held) throws IOException {
		for (int tries = 0; tries < 50; tries++) {
			ServerSocket client = new ServerSocket(0);
			held.add(client);
			try {
				held.add(new ServerSocket(client.getLocalPort() + 1));
				return client.getLocalPort();
			}
			catch (IOException taken) {
				// try another pair
			}
		}
		throw new IOException("No two free neighbouring ports for the Kafka broker");
	}

	static LocalSettings fromEnvironment(Map<String, String> env) {
		return new LocalSettings(Path.of(env.getOrDefault("RELAY_LOCAL_DATA", ".relay-local")).toAbsolutePath(),
				port(env, "RELAY_LOCAL_KAFKA_PORT", 19092), port(env, "RELAY_LOCAL_MONGO_PORT", 27027),
				env.get("RELAY_MONGODB_URI"), port(env, "INGEST_PORT", 8080), port(env, "DISPATCHER_PORT", 8081),
				port(env, "ADMIN_PORT", 8082), port(env, "DEMO_PARTNER_PORT", 8090), List.of(),
				"memory".equalsIgnoreCase(env.getOrDefault("RELAY_LOCAL_STORE", "disk").strip()));
	}

	private static int port(Map<String, String> env, String name, int fallback) {
		String value = env.get(name);
		return (value != null && !value.isBlank()) ? Integer.parseInt(value.strip()) : fallback;
	}

	String kafkaBootstrap() {
		return "127.0.0.1:" + this.kafkaPort;
	}

	/**
	 * The MongoDB the services use.
	 * @return a MongoDB URI
	 */
	public String effectiveMongoUri() {
		return (this.mongoUri != null && !this.mongoUri.isBlank()) ? this.mongoUri
				: "mongodb://127.0.0.1:" + this.mongoPort + "/postback_relay";
	}

	/**
	 * The database the services, the demo data and the benchmark use: the URI's, else
	 * {@code postback_relay} (the services are given it, so that a URI without one does
	 * not leave them on Spring Boot's default, {@code test}).
	 * @return the database name
	 */
	public String database() {
		return DemoSeed.database(effectiveMongoUri());
	}

}
