package io.postbackrelay.ingest.postback;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.postbackrelay.common.PostbackEvent;
import io.postbackrelay.ingest.system.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes stored postbacks to Kafka, keyed by postback id, and has them marked
 * published once the broker acknowledged them.
 */
@Component
class PostbackPublisher {

	private static final Logger logger = LoggerFactory.getLogger(PostbackPublisher.class);

	private final KafkaTemplate<String, PostbackEvent> kafka;

	private final PublishedMarks marks;

	private final IngestMetrics metrics;

	private final String topic;

	private final Duration wait;

	PostbackPublisher(KafkaTemplate<String, PostbackEvent> kafka, PublishedMarks marks, IngestMetrics metrics,
			IngestProperties properties) {
		this.kafka = kafka;
		this.marks = marks;
		this.metrics = metrics;
		this.topic = properties.topic();
		this.wait = properties.publish().ackWait();
	}

	/**
	 * Sends a postback and waits a bounded time for the acknowledgement. The
	 * acknowledgement marks it published even when it comes after the wait.
	 * @param postback the stored postback
	 * @param path who publishes, for metrics: {@code request} or {@code republisher}
	 * @return the send, completed when acknowledged
	 */
	CompletableFuture<Void> send(ReceivedPostback postback, String path) {
		try {
			return this.kafka.send(this.topic, postback.id(), postback.toEvent()).thenAccept((result) -> {
				this.marks.add(postback.id());
				this.metrics.published(path);
			}).whenComplete((ignored, ex) -> {
				if (ex != null) {
					this.metrics.publishFailed(path);
				}
			});
		}
		catch (RuntimeException ex) {
			this.metrics.publishFailed(path);
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Publishes a postback just stored, waiting at most the configured time.
	 * @param postback the stored postback
	 */
	void publishNow(ReceivedPostback postback) {
		try {
			send(postback, "request").get(this.wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("Postback {} stored but not yet published, the republisher will send it: {}", postback.id(),
					ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
