package io.postbackrelay.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning, so a test can assert on what was really published.
 */
public final class TopicReader implements AutoCloseable {

	private final KafkaConsumer<String, String> consumer;

	private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

	/**
	 * Subscribes to a topic from its earliest offset with a group of its own.
	 * @param bootstrap the Kafka bootstrap address
	 * @param topic the topic to read
	 */
	public TopicReader(String bootstrap, String topic) {
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
						"test-reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
				new StringDeserializer(), new StringDeserializer());
		this.consumer.subscribe(List.of(topic));
	}

	/**
	 * Polls once more and returns every record read so far.
	 * @return the records in the order read
	 */
	public List<ConsumerRecord<String, String>> poll() {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.records::add);
		return List.copyOf(this.records);
	}

	/**
	 * The values read so far whose key is the given one.
	 * @param key the record key
	 * @return the values of that key
	 */
	public List<String> valuesOf(String key) {
		return poll().stream().filter((record) -> key.equals(record.key())).map(ConsumerRecord::value).toList();
	}

	@Override
	public void close() {
		this.consumer.close(Duration.ofSeconds(2));
	}

}
