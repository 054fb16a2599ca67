package io.postbackrelay.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one) as a process of its
 * own, started from the Kafka jars on this launcher's classpath. Its log directory is
 * formatted once and kept, so a second start keeps every topic.
 */
final class KafkaBroker {

	private KafkaBroker() {
	}

	/**
	 * The heap and the garbage collector settings Kafka's own start scripts use
	 * ({@code KAFKA_HEAP_OPTS} in {@code kafka-server-start.sh},
	 * {@code KAFKA_JVM_PERFORMANCE_OPTS} in {@code kafka-run-class.sh}), which a broker
	 * started from the jars does not get: a fixed 1 GB heap, G1 aiming at 20 ms pauses
	 * rather than 200 ms. With {@code -Xmx512m} G1 grew the heap to about 320 MB and kept
	 * the young generation at about 15 MB (its minimum, 5% of the heap), so on 2 busy
	 * cores the broker paused about once a second, 13-84 ms each time; with 1 GB its
	 * pauses in the benchmark's steady scenarios took half as long in all (GC logs of two
	 * runs).
	 */
	static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
			"-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15");

	static ChildProcess start(LocalSettings settings) throws IOException, InterruptedException {
		Path dir = settings.dataDir().resolve("kafka");
		Files.createDirectories(dir);
		Path config = dir.resolve("server.properties");
		Files.writeString(config, properties(settings, dir.resolve("log")));
		if (!Files.exists(dir.resolve("log").resolve("meta.properties"))) {
			int formatted = ChildProcess.run(dir.resolve("format.log"), "kafka.tools.StorageTool", "format", "-t",
					Uuid.randomUuid().toString(), "-c", config.toString());
			if (formatted != 0) {
				throw new IllegalStateException("Formatting Kafka's log failed, see " + dir.resolve("format.log"));
			}
		}
		ChildProcess broker = ChildProcess.start("kafka", dir.resolve("kafka.log"), JVM_OPTIONS, "kafka.Kafka",
				config.toString());
		broker.awaitPort(settings.kafkaPort(), 60);
		return broker;
	}

	private static String properties(LocalSettings settings, Path logDir) {
		int controllerPort = settings.kafkaPort() + 1;
		return String.join("\n", "process.roles=broker,controller", "node.id=1",
				"controller.quorum.voters=1@127.0.0.1:" + controllerPort,
				"listeners=PLAINTEXT://127.0.0.1:" + settings.kafkaPort() + ",CONTROLLER://127.0.0.1:" + controllerPort,
				"advertised.listeners=PLAINTEXT://127.0.0.1:" + settings.kafkaPort(),
				"controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
				"listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
				"log.dirs=" + logDir.toString().replace('\\', '/'), "num.partitions=6",
				"offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
				"transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
				"share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
				"auto.create.topics.enable=true", "");
	}

}
