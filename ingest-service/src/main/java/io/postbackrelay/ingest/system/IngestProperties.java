package io.postbackrelay.ingest.system;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the ingest service, under {@code relay.ingest}.
 *
 * @param topic the Kafka topic accepted postbacks are published to
 * @param topicPartitions partitions of that topic when ingest creates it
 * @param trustedProxies CIDRs of proxies whose {@code X-Forwarded-For} is believed
 * @param limits limits on what a platform may send
 * @param publish how long a request waits for Kafka before answering anyway
 * @param republish how stored but unpublished postbacks are sent again
 * @param sourceCacheTtl how long a source looked up by key is cached (an edit of a source
 * takes effect within this time)
 * @param mongoTimeout how long a MongoDB operation may wait for the server before ingest
 * answers 503
 * @param retryAfter the {@code Retry-After} given with a 503
 */
@ConfigurationProperties("relay.ingest")
public record IngestProperties(@DefaultValue("postbacks") String topic, @DefaultValue("6") int topicPartitions,
		@DefaultValue List<String> trustedProxies, @DefaultValue Limits limits, @DefaultValue Publish publish,
		@DefaultValue Republish republish, @DefaultValue("10s") Duration sourceCacheTtl,
		@DefaultValue("3s") Duration mongoTimeout, @DefaultValue("5s") Duration retryAfter) {

	/**
	 * Limits on one postback request.
	 *
	 * @param maxParameters most parameters in one postback
	 * @param maxNameLength longest parameter name
	 * @param maxValueLength longest parameter value
	 * @param maxBodySize largest request body (413 above it)
	 */
	public record Limits(@DefaultValue("50") int maxParameters, @DefaultValue("64") int maxNameLength,
			@DefaultValue("1024") int maxValueLength, @DefaultValue("16KB") DataSize maxBodySize) {
	}

	/**
	 * Publishing at request time.
	 *
	 * @param ackWait how long a request waits for Kafka's acknowledgement; the postback
	 * is stored either way, and the republisher sends it if this send fails
	 * @param markInterval how often acknowledged postbacks are marked published, in one
	 * write
	 */
	public record Publish(@DefaultValue("2s") Duration ackWait, @DefaultValue("200ms") Duration markInterval) {
	}

	/**
	 * The republisher, which sends postbacks that are stored but not published.
	 *
	 * @param interval pause between two runs
	 * @param minAge how old an unpublished postback must be before it is sent again; keep
	 * it above the producer's {@code delivery.timeout.ms} so a send still in flight is
	 * never doubled
	 * @param batchSize most postbacks sent in one batch
	 */
	public record Republish(@DefaultValue("5s") Duration interval, @DefaultValue("30s") Duration minAge,
			@DefaultValue("500") int batchSize) {
	}

}
