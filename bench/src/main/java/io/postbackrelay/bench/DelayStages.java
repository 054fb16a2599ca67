package io.postbackrelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.model.Filters;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;

/**
 * Where a scenario's delivery delays went: from ingest's answer to the fan-out's send of
 * the delivery task (its record's timestamp in {@code deliveries}), from there to the
 * partner's call (the attempt log's end less the call's duration), and from the call to
 * the partner receiving it. Only first attempts that delivered count.
 */
final class DelayStages {

	private static final Pattern POSTBACK_ID = Pattern.compile("\"postbackId\":\"([^\"]+)\"");

	private static final List<String> NAMES = List.of("ingest's answer -> the fan-out sends the task",
			"task sent -> partner called", "partner called -> partner received");

	private final List<List<Double>> stages = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

	/** Per delivery: partner, acceptance (ms into the scenario) and the three stages. */
	private final List<String> rows = new ArrayList<>();

	private DelayStages() {
	}

	/**
	 * Measures the stages of one scenario's deliveries.
	 * @param stack the stack the scenario ran on
	 * @param load the scenario's load
	 * @param startedAtMillis when the scenario started (wall clock)
	 * @param counted the partners counted
	 * @return the stages' delays
	 */
	static DelayStages of(Stack stack, OpenLoad load, long startedAtMillis, Predicate<String> counted) {
		long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
		Map<String, String> partnerNames = new HashMap<>();
		Map<String, Long> calledAt = new HashMap<>();
		for (Document log : stack.db()
			.getCollection(CollectionNames.PARTNER_POSTBACK_LOGS)
			.find(Filters.and(Filters.eq("attempt", 1), Filters.eq("success", true),
					Filters.gte("timestamp", new Date(startedAtMillis))))) {
			Long took = log.getLong("responseTimeMs");
			if (took != null && load.acceptedAt.containsKey(log.getString("sourceLogId"))) {
				partnerNames.put(log.getString("partnerId"), log.getString("partnerName"));
				calledAt.put(log.getString("sourceLogId") + "/" + log.getString("partnerName"),
						log.getDate("timestamp").getTime() - took);
			}
		}
		Map<String, Long> sentAt = new HashMap<>();
		readSince(stack, Topics.DELIVERIES, startedAtMillis, (record) -> {
			Matcher postbackId = POSTBACK_ID.matcher(record.value());
			if (record.key() != null && postbackId.find()) {
				sentAt.put(postbackId.group(1) + "/" + partnerNames.get(record.key()), record.timestamp());
			}
		});
		DelayStages stages = new DelayStages();
		for (PartnerSimulator.Arrival arrival : stack.partners().arrivals().values()) {
			String delivery = arrival.postbackId() + "/" + arrival.partner();
			Long accepted = load.acceptedAt.get(arrival.postbackId());
			Long sent = sentAt.get(delivery);
			Long called = calledAt.get(delivery);
			if (accepted != null && sent != null && called != null && counted.test(arrival.partner())) {
				double acceptedMillis = (accepted + epochOffsetNanos) / 1e6;
				double receivedMillis = (arrival.nanoTime() + epochOffsetNanos) / 1e6;
				stages.add(0, sent - acceptedMillis);
				stages.add(1, called - sent);
				stages.add(2, receivedMillis - called);
				stages.rows.add(String.format(Locale.ROOT, "%s,%.0f,%.1f,%d,%.1f", arrival.partner(),
						acceptedMillis - startedAtMillis, sent - acceptedMillis, called - sent,
						receivedMillis - called));
			}
		}
		return stages;
	}

	/**
	 * Writes each counted delivery's stages as CSV: partner, acceptance (ms into the
	 * scenario), then the three stages in ms.
	 * @param file where
	 */
	void trace(Path file) throws IOException {
		Files.write(file, this.rows);
	}

	private void add(int stage, double millis) {
		this.stages.get(stage).add(millis);
	}

	/**
	 * Writes the stages as a table.
	 * @param report the report
	 */
	void write(Report report) {
		report.line("Where the delay went (first attempts that delivered; ms, from the clocks of one machine):");
		report.line("");
		report.line("| stage | deliveries | p50 | p90 | p99 |");
		report.line("|---|---|---|---|---|");
		for (int i = 0; i < NAMES.size(); i++) {
			List<Double> sorted = Stats.sorted(this.stages.get(i));
			report.line("| %s | %d | %.1f | %.1f | %.1f |", NAMES.get(i), sorted.size(), Stats.percentile(sorted, 0.5),
					Stats.percentile(sorted, 0.9), Stats.percentile(sorted, 0.99));
		}
		report.line("");
	}

	private static void readSince(Stack stack, String topic, long sinceMillis,
			Consumer<ConsumerRecord<String, String>> each) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.settings().kafkaPort());
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((partition) -> new TopicPartition(topic, partition.partition()))
				.toList();
			consumer.assign(partitions);
			Map<TopicPartition, Long> since = new HashMap<>();
			partitions.forEach((partition) -> since.put(partition, sinceMillis));
			Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(since);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			for (TopicPartition partition : partitions) {
				OffsetAndTimestamp offset = start.get(partition);
				consumer.seek(partition, (offset != null) ? offset.offset() : end.get(partition));
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			Set<TopicPartition> left = new HashSet<>(partitions);
			while (!left.isEmpty() && System.nanoTime() < deadline) {
				left.removeIf((partition) -> consumer.position(partition) >= end.get(partition));
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.value() != null) {
						each.accept(record);
					}
				}
			}
		}
	}

}
