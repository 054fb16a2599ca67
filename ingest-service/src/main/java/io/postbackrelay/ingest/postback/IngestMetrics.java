package io.postbackrelay.ingest.postback;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Ingest's metrics. Tags are low-cardinality: the source name (bounded by the sources an
 * admin created), the outcome and the reason, never a postback id.
 */
@Component
public class IngestMetrics {

	private final MeterRegistry registry;

	private final AtomicLong unpublished = new AtomicLong();

	/**
	 * The request counters and timers, registered once each: building a meter's tags
	 * sorts them, and finding it in the registry compares them, on every request.
	 */
	private final Map<Received, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	IngestMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("relay.ingest.unpublished", this.unpublished, AtomicLong::get)
			.description("Postbacks stored longer than the republisher's min-age and not acknowledged by Kafka")
			.register(registry);
	}

	/**
	 * Counts one postback request by its outcome.
	 * @param source the source name, or {@code unknown}
	 * @param outcome accepted, duplicate, rejected or unavailable
	 * @param reason why it was rejected, or {@code none}
	 */
	public void received(String source, String outcome, String reason) {
		this.counters
			.computeIfAbsent(new Received(source, outcome, reason),
					(key) -> Counter.builder("relay.postbacks.received")
						.description("Postback requests by source and outcome")
						.tag("source", source)
						.tag("outcome", outcome)
						.tag("reason", reason)
						.register(this.registry))
			.increment();
	}

	Timer.Sample start() {
		return Timer.start(this.registry);
	}

	void stop(Timer.Sample sample, String outcome) {
		sample.stop(this.timers.computeIfAbsent(outcome,
				(key) -> Timer.builder("relay.ingest.request")
					.description("Time to answer an accepted or duplicate postback")
					.tag("outcome", outcome)
					.publishPercentileHistogram()
					.register(this.registry)));
	}

	void published(String path) {
		this.registry.counter("relay.postbacks.published", "path", path).increment();
	}

	void publishFailed(String path) {
		this.registry.counter("relay.postbacks.publish.failures", "path", path).increment();
	}

	void unpublished(long count) {
		this.unpublished.set(count);
	}

	private record Received(String source, String outcome, String reason) {
	}

}
