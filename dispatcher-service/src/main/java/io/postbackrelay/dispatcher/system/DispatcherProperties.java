package io.postbackrelay.dispatcher.system;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the dispatcher, under {@code relay.dispatcher}.
 *
 * @param topics the topics it reads and writes
 * @param partnerRefresh how often the partner list is re-read from MongoDB; an edit takes
 * effect within this time
 * @param delivery how partners are called
 * @param retry the retry schedule
 * @param guard per-partner protection: in-flight limit and circuit breaker
 * @param logRetention how long delivery attempt logs are kept (TTL index)
 * @param partnerTagLimit how many distinct partner names are used as metric tags; later
 * ones are tagged {@code other}
 */
@ConfigurationProperties("relay.dispatcher")
public record DispatcherProperties(@DefaultValue Topics topics, @DefaultValue("5s") Duration partnerRefresh,
		@DefaultValue Delivery delivery, @DefaultValue Retry retry, @DefaultValue Guard guard,
		@DefaultValue("30d") Duration logRetention, @DefaultValue("200") int partnerTagLimit) {

	/**
	 * Topic names and sizes.
	 *
	 * @param postbacks accepted postbacks from ingest
	 * @param postbacksDlt postback records that could not be parsed
	 * @param deliveries one task per (postback, partner)
	 * @param partitions partitions of the topics the dispatcher creates
	 * @param replicas replication factor of the topics the dispatcher creates
	 */
	public record Topics(@DefaultValue("postbacks") String postbacks,
			@DefaultValue("postbacks-dlt") String postbacksDlt, @DefaultValue("deliveries") String deliveries,
			@DefaultValue("6") int partitions, @DefaultValue("1") short replicas) {
	}

	/**
	 * Calling partners.
	 *
	 * @param defaultTimeout a call's whole-call timeout when the partner sets none
	 * @param maxTimeout the largest timeout a partner may set
	 * @param connectTimeout TCP connect timeout
	 * @param allowPrivateTargets whether partner URLs may resolve to private, loopback or
	 * link-local addresses (tests and the local run set it)
	 * @param maxConcurrentCalls most calls in flight in one dispatcher, over all partners
	 * @param hold longest an attempt's call (but the last) holds its record: a call still
	 * in flight then is handed to the retry topics (its retry skips the call if it
	 * succeeded), so the partners sharing that consumer wait no longer; zero waits for
	 * every call
	 * @param minHold shortest hold: a partner's hold is 4 times its usual answer time,
	 * between this and {@code hold}; when a partner that answers within a few
	 * milliseconds starts hanging, the partners polled with it wait up to this once
	 */
	public record Delivery(@DefaultValue("5s") Duration defaultTimeout, @DefaultValue("30s") Duration maxTimeout,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("false") boolean allowPrivateTargets,
			@DefaultValue("512") int maxConcurrentCalls, @DefaultValue("500ms") Duration hold,
			@DefaultValue("25ms") Duration minHold) {
	}

	/**
	 * The retry schedule of failed deliveries.
	 *
	 * @param backoff the pause before each retry; its length is the number of retries
	 * @param jitter up to this fraction is added to each pause, so retries of many
	 * deliveries spread out
	 * @param retryAfterFactor a partner's {@code Retry-After} is honoured up to this many
	 * times the scheduled pause (a longer one would hold up the retry topic's partition)
	 */
	public record Retry(@DefaultValue( {
			"5s", "30s", "2m", "10m", "30m", "1h", "3h" }) List<Duration> backoff, @DefaultValue("0.2") double jitter,
			@DefaultValue("4") double retryAfterFactor){

		/**
		 * How many attempts a delivery gets: the first and one per pause.
		 * @return the number of attempts
		 */
		public int maxAttempts() {
			return this.backoff.size() + 1;
		}

	}

	/**
	 * Per-partner protection.
	 *
	 * @param maxInFlight calls in flight to one partner before further deliveries to it
	 * go to the retry path without a call
	 * @param failureRateThreshold percentage of failed calls that opens the partner's
	 * circuit
	 * @param minimumCalls calls before the failure rate counts
	 * @param openFor how long an open circuit sends deliveries to the retry path without
	 * a call; keep it below the first retry pause
	 */
	public record Guard(@DefaultValue("300") int maxInFlight, @DefaultValue("50") float failureRateThreshold,
			@DefaultValue("20") int minimumCalls, @DefaultValue("4s") Duration openFor) {
	}

}
