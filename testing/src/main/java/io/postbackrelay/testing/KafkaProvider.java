package io.postbackrelay.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Finds or starts the Kafka broker of the test JVM.
 */
final class KafkaProvider {

	static final String ENV = "RELAY_TEST_KAFKA_BOOTSTRAP";

	static final String IMAGE = "apache/kafka:4.1.2";

	private KafkaProvider() {
	}

	static RelayInfrastructure.Server start() {
		String given = System.getenv(ENV);
		if (given != null && !given.isBlank()) {
			return new RelayInfrastructure.Server("environment", given);
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			KafkaContainer container = new KafkaContainer(IMAGE);
			container.start();
			return new RelayInfrastructure.Server("testcontainers", container.getBootstrapServers());
		}
		EmbeddedKafkaKraftBroker broker = inJvmBroker();
		Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "kafka-test-broker-stop"));
		return new RelayInfrastructure.Server("in-jvm", broker.getBrokersAsString());
	}

	/**
	 * Starts a real KRaft broker inside this JVM, on a free port.
	 * @return the started broker; the caller destroys it
	 */
	static EmbeddedKafkaKraftBroker inJvmBroker() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
		broker.brokerProperty("auto.create.topics.enable", "true");
		broker.brokerProperty("num.partitions", "3");
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.afterPropertiesSet();
		return broker;
	}

}
