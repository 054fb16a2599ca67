package io.postbackrelay.ingest.postback;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.ingest.system.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes postbacks that are stored but were not acknowledged by Kafka (it was down, or
 * the service stopped in between), oldest first and in bounded batches. It waits until a
 * postback is older than {@code min-age}, so a send still in flight is not doubled.
 */
@Component
class Republisher {

	private static final Logger logger = LoggerFactory.getLogger(Republisher.class);

	private final PostbackStore store;

	private final PostbackPublisher publisher;

	private final PublishedMarks marks;

	private final IngestMetrics metrics;

	private final IngestProperties.Republish settings;

	private final Clock clock;

	Republisher(PostbackStore store, PostbackPublisher publisher, PublishedMarks marks, IngestMetrics metrics,
			IngestProperties properties, Clock clock) {
		this.store = store;
		this.publisher = publisher;
		this.marks = marks;
		this.metrics = metrics;
		this.settings = properties.republish();
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${relay.ingest.republish.interval:5s}",
			initialDelayString = "${relay.ingest.republish.interval:5s}")
	void run() {
		try {
			int batch;
			do {
				batch = republishBatch();
			}
			while (batch == this.settings.batchSize());
			this.metrics.unpublished(this.store.countUnpublished());
		}
		catch (RuntimeException ex) {
			logger.warn("Republishing stopped for now: {}", ex.toString());
		}
	}

	private int republishBatch() {
		Instant cutoff = this.clock.instant().minus(this.settings.minAge());
		List<ReceivedPostback> batch = this.store.oldestUnpublished(cutoff, this.settings.batchSize());
		if (batch.isEmpty()) {
			return 0;
		}
		List<CompletableFuture<Void>> sends = batch.stream().map((p) -> this.publisher.send(p, "republisher")).toList();
		try {
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
		}
		catch (Exception ex) {
			logger.warn("Republished only part of {} postbacks: {}", batch.size(), ex.toString());
			return 0;
		}
		finally {
			this.marks.flush();
		}
		logger.info("Republished {} postbacks", batch.size());
		return batch.size();
	}

}
