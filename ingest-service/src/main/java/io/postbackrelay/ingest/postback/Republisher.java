package io.postbackrelay.ingest.postback;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.postbackrelay.ingest.system.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes postbacks that are stored but were not acknowledged by Kafka (it was down, or
 * the service stopped in between), oldest first and in bounded batches. It waits until a
 * postback is older than {@code min-age}, so a send still in flight is not doubled, and
 * counts only those for {@code relay.ingest.unpublished}: postbacks in flight are not a
 * backlog, and under steady traffic there always are some.
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
		Instant cutoff = this.clock.instant().minus(this.settings.minAge());
		try {
			List<ReceivedPostback> batch = this.store.oldestUnpublished(cutoff, this.settings.batchSize());
			if (batch.isEmpty()) {
				// nothing is left to count; and counting reads every stored postback
				// where no index serves it, as in the embedded store
				this.metrics.unpublished(0);
				return;
			}
			while (republish(batch) && batch.size() == this.settings.batchSize()) {
				batch = this.store.oldestUnpublished(cutoff, this.settings.batchSize());
			}
			this.metrics.unpublished(this.store.countUnpublished(cutoff));
		}
		catch (RuntimeException ex) {
			logger.warn("Republishing stopped for now: {}", ex.toString());
		}
	}

	/**
	 * Sends a batch and has the acknowledged ones marked.
	 * @return whether Kafka acknowledged all of them
	 */
	private boolean republish(List<ReceivedPostback> batch) {
		List<CompletableFuture<Void>> sends = batch.stream().map((p) -> this.publisher.send(p, "republisher")).toList();
		try {
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Republished only part of {} postbacks: {}", batch.size(), ex.toString());
			return false;
		}
		finally {
			this.marks.flush();
		}
		if (!batch.isEmpty()) {
			logger.info("Republished {} postbacks", batch.size());
		}
		return true;
	}

}
