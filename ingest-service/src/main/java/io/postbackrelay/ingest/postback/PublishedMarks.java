package io.postbackrelay.ingest.postback;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Marks acknowledged postbacks as published in one write per interval rather than one per
 * request; a mark that is late or lost only means the republisher may send that postback
 * again, which consumers tolerate.
 */
@Component
class PublishedMarks {

	private static final Logger logger = LoggerFactory.getLogger(PublishedMarks.class);

	private final Queue<String> pending = new ConcurrentLinkedQueue<>();

	private final PostbackStore store;

	private final Clock clock;

	PublishedMarks(PostbackStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	void add(String postbackId) {
		this.pending.add(postbackId);
	}

	@Scheduled(fixedDelayString = "${relay.ingest.publish.mark-interval:200ms}")
	@PreDestroy
	void flush() {
		List<String> ids = new ArrayList<>();
		for (String id = this.pending.poll(); id != null; id = this.pending.poll()) {
			ids.add(id);
		}
		try {
			this.store.markPublished(ids, this.clock.instant());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not mark {} postbacks published, will try again: {}", ids.size(), ex.toString());
			this.pending.addAll(ids);
		}
	}

}
