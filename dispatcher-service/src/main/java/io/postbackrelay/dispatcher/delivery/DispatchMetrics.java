package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.postbackrelay.dispatcher.system.DispatcherProperties;

import org.springframework.stereotype.Component;

/**
 * The dispatcher's metrics. Partners are tagged by name up to {@code partner-tag-limit}
 * distinct names (then {@code other}), so an admin creating partners cannot explode the
 * series count; no postback or delivery id is ever a tag.
 */
@Component
public class DispatchMetrics {

	private final MeterRegistry registry;

	private final Set<String> taggedPartners = ConcurrentHashMap.newKeySet();

	private final int partnerTagLimit;

	DispatchMetrics(MeterRegistry registry, DispatcherProperties properties) {
		this.registry = registry;
		this.partnerTagLimit = properties.partnerTagLimit();
	}

	/**
	 * The tag value for a partner.
	 * @param partnerName the partner's name
	 * @return the name, or {@code other} past the limit
	 */
	public String partnerTag(String partnerName) {
		String name = (partnerName != null) ? partnerName : "unknown";
		if (this.taggedPartners.contains(name)) {
			return name;
		}
		if (this.taggedPartners.size() < this.partnerTagLimit) {
			this.taggedPartners.add(name);
			return name;
		}
		return "other";
	}

	void attempt(String partner, DeliveryOutcome outcome, Duration duration) {
		this.registry.counter("relay.deliveries", "partner", partner, "outcome", outcome.name().toLowerCase())
			.increment();
		if (duration != null) {
			Timer.builder("relay.delivery.attempt")
				.description("Time of one call to a partner")
				.tag("partner", partner)
				.tag("result", (outcome == DeliveryOutcome.DELIVERED) ? "success" : "failure")
				.publishPercentileHistogram()
				.register(this.registry)
				.record(duration);
		}
		if (outcome == DeliveryOutcome.RETRY_SCHEDULED) {
			this.registry.counter("relay.delivery.retries", "partner", partner).increment();
		}
	}

	void delay(String partner, Duration sinceReceipt) {
		Timer.builder("relay.delivery.delay")
			.description("Time from ingest receiving a postback to a partner accepting it")
			.tag("partner", partner)
			.publishPercentileHistogram()
			.register(this.registry)
			.record(sinceReceipt.isNegative() ? Duration.ZERO : sinceReceipt);
	}

	/**
	 * Counts an attempt handed on to the next retry topic while its call was in flight.
	 */
	void handedOnInFlight() {
		this.registry.counter("relay.delivery.handed.on.in.flight").increment();
	}

	/**
	 * Counts a delivery that became a dead letter.
	 * @param partner the partner tag
	 */
	public void deadLetter(String partner) {
		this.registry.counter("relay.dead.letters", "partner", partner).increment();
	}

	/**
	 * Counts a record that could not be parsed and went to a dead-letter topic.
	 * @param topic the topic it was read from
	 */
	public void unparseable(String topic) {
		this.registry.counter("relay.records.unparseable", "topic", topic).increment();
	}

	/**
	 * Counts a postback fanned out and the deliveries it made.
	 * @param deliveries how many partners matched
	 */
	public void fannedOut(int deliveries) {
		this.registry.counter("relay.postbacks.fanned.out").increment();
		this.registry.counter("relay.fanout.deliveries").increment(deliveries);
	}

	void partnerGauges(String partner, Supplier<Number> inFlight, Supplier<Number> circuitState) {
		Gauge.builder("relay.partner.inflight", inFlight)
			.description("Calls in flight to a partner")
			.tag("partner", partner)
			.register(this.registry);
		Gauge.builder("relay.partner.circuit.state", circuitState)
			.description("0 closed, 1 open, 2 half-open")
			.tag("partner", partner)
			.register(this.registry);
	}

}
