package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Hands a failed delivery on to its next retry topic or the dead-letter topic with
 * spring-kafka's own recoverer (same destination, headers and due time as its retry
 * topics), but without blocking a consumer thread.
 * <p>
 * spring-kafka handles an asynchronous listener's failures one at a time on a consumer
 * thread, each waiting for its send and a commit; with several consumers it queues them
 * all on one of them (the listener adapter keeps only the last consumer's callback), and
 * it acknowledges the failed record before the hand-off is sent. Under a dead partner's
 * failures that consumer fell seconds behind, holding up the healthy partners on its
 * partitions. Here the listener's future completes only once Kafka acknowledged the
 * hand-off, so the offset is committed after it, and the consumers keep polling.
 * <p>
 * Hand-offs are built and sent on a thread of their own. They start on whichever thread
 * ended the attempt, mostly the attempt-log writer that every partner's deliveries wait
 * on; building a retry record and a send that blocks while Kafka has no metadata must not
 * hold that up (with the benchmark's hanging partner, hand-offs had taken about a fifth
 * of the writer's time).
 */
final class RetryHandOff implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RetryHandOff.class);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

	private final Publisher publisher;

	private final DeliveryTimers timers;

	private final ExecutorService sender = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "retry-hand-off");
		thread.setDaemon(true);
		return thread;
	});

	RetryHandOff(DeadLetterPublishingRecoverer publisher, DeliveryTimers timers) {
		if (!(publisher instanceof Publisher handOff)) {
			throw new IllegalStateException("The retry topics' recoverer must be created by RetryHandOff.Publisher");
		}
		this.publisher = handOff;
		this.timers = timers;
	}

	/**
	 * Sends the failed record on, retrying the send (never dropping it) while Kafka does
	 * not take it.
	 * @param record the delivery that failed
	 * @param failure why it failed
	 * @param attemptId the log id of the attempt that handed it on ({@link LastAttempt})
	 * @return completed once Kafka acknowledged the record on its next topic
	 */
	CompletableFuture<Void> forward(ConsumerRecord<?, ?> record, Exception failure, String attemptId) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		send(new Failed(record, failure, attemptId), done, Duration.ofMillis(500));
		return done;
	}

	private void send(Failed failed, CompletableFuture<Void> done, Duration pause) {
		try {
			this.sender.execute(() -> attempt(failed, done, pause));
		}
		catch (RejectedExecutionException ex) {
			// shutting down: the offset stays uncommitted and the record is read again
			done.completeExceptionally(ex);
		}
	}

	private void attempt(Failed failed, CompletableFuture<Void> done, Duration pause) {
		this.publisher.sendWithoutWaiting(failed).whenComplete((result, sendFailure) -> {
			if (sendFailure == null) {
				done.complete(null);
				return;
			}
			logger.warn("Could not hand delivery {}@{} on to its retry topic, trying again in {}: {}",
					failed.record().topic(), failed.record().offset(), pause, sendFailure.toString());
			try {
				this.timers.after(pause).execute(() -> send(failed, done, min(pause.multipliedBy(2), MAX_PAUSE)));
			}
			catch (RejectedExecutionException ex) {
				// shutting down, as above
				done.completeExceptionally(ex);
			}
		});
	}

	/**
	 * Sends the hand-offs already queued, waiting a few seconds at most.
	 */
	@Override
	public void close() throws InterruptedException {
		this.sender.shutdown();
		this.sender.awaitTermination(5, TimeUnit.SECONDS);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * A delivery to hand on.
	 *
	 * @param record the delivery's record
	 * @param failure why its attempt failed
	 * @param attemptId the attempt's log id
	 */
	record Failed(ConsumerRecord<?, ?> record, Exception failure, String attemptId) {
	}

	/**
	 * The recoverer spring-kafka's retry topics are configured with: blocking as usual
	 * when the container calls it (records that cannot be parsed, back-off handling),
	 * returning the send, and naming the last attempt, when {@link RetryHandOff} calls
	 * it.
	 */
	static final class Publisher extends DeadLetterPublishingRecoverer {

		private static final ThreadLocal<Capture> captured = new ThreadLocal<>();

		Publisher(Function<ProducerRecord<?, ?>, ? extends KafkaOperations<?, ?>> templates,
				BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destinations) {
			super(templates, destinations);
		}

		CompletableFuture<?> sendWithoutWaiting(Failed failed) {
			Capture capture = new Capture(LastAttempt.value(failed.attemptId()));
			captured.set(capture);
			try {
				accept(failed.record(), null, failed.failure());
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
			finally {
				captured.remove();
			}
			// no destination (never the case with a dead-letter topic): nothing to wait
			// for, as with spring-kafka's own recovery
			return (capture.send != null) ? capture.send : CompletableFuture.completedFuture(null);
		}

		@Override
		protected void publish(ProducerRecord<Object, Object> outRecord, KafkaOperations<Object, Object> kafkaTemplate,
				ConsumerRecord<?, ?> inRecord) {
			Capture capture = captured.get();
			if (capture == null) {
				super.publish(outRecord, kafkaTemplate, inRecord);
				return;
			}
			// the copy of the earlier hop's header is replaced, not added to
			outRecord.headers().remove(LastAttempt.HEADER);
			outRecord.headers().add(LastAttempt.HEADER, capture.lastAttempt);
			capture.send = kafkaTemplate.send(outRecord);
		}

		private static final class Capture {

			private final byte[] lastAttempt;

			private CompletableFuture<?> send;

			Capture(byte[] lastAttempt) {
				this.lastAttempt = lastAttempt;
			}

		}

	}

}
