package io.postbackrelay.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * Finds or starts the MongoDB server of the test JVM.
 */
final class MongoProvider {

	static final String ENV = "RELAY_TEST_MONGODB_URI";

	static final String IMAGE = "mongo:8.0";

	private MongoProvider() {
	}

	static RelayInfrastructure.Server start() {
		String given = System.getenv(ENV);
		if (given != null && !given.isBlank()) {
			return new RelayInfrastructure.Server("environment", given);
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			MongoDBContainer container = new MongoDBContainer(IMAGE);
			container.start();
			return new RelayInfrastructure.Server("testcontainers", container.getConnectionString());
		}
		MongoServer server = inJvmServer();
		Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-test-server-stop"));
		return new RelayInfrastructure.Server("in-jvm mongo-java-server", server.getConnectionString());
	}

	static MongoServer inJvmServer() {
		MongoServer server = new MongoServer(new MemoryBackend());
		server.bind("127.0.0.1", 0);
		return server;
	}

}
