package io.postbackrelay.dispatcher.delivery;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.function.Consumer;

import io.postbackrelay.dispatcher.system.DispatcherProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.SingleRecordHeader;
import org.springframework.kafka.retrytopic.DeadLetterPublishingRecovererFactory;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;
import org.springframework.kafka.retrytopic.RetryTopicBeanNames;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationSupport;
import org.springframework.kafka.retrytopic.RetryTopicConfigurer;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.Assert;

/**
 * Non-blocking retries of deliveries through spring-kafka retry topics
 * ({@code deliveries-retry-0..n}, then {@code deliveries-dlt}). The topics are sized by
 * the plain schedule; each retried record's due time is then set with jitter and the
 * partner's {@code Retry-After}, or after the call's timeout for an attempt handed on
 * while its call was in flight.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryRetryConfiguration extends RetryTopicConfigurationSupport {

	/** Bean name of the dead-letter handler the retry chain ends in. */
	static final String DEAD_LETTER_HANDLER = "deadLetterHandler";

	/** How long a consumer paused for acknowledgements waits in one poll. */
	private static final Duration PAUSED_POLL = Duration.ofMillis(10);

	private final DispatcherProperties properties;

	private final RetrySchedule schedule;

	private final DispatchMetrics metrics;

	private final Clock clock;

	private DeadLetterPublishingRecovererFactory recoverers;

	DeliveryRetryConfiguration(DispatcherProperties properties, DispatchMetrics metrics, Clock clock) {
		this.properties = properties;
		this.schedule = new RetrySchedule(properties.retry());
		this.metrics = metrics;
		this.clock = clock;
	}

	@Bean
	RetryTopicConfiguration deliveryRetryTopics(KafkaTemplate<Object, Object> template) {
		DispatcherProperties.Topics topics = this.properties.topics();
		return RetryTopicConfigurationBuilder.newInstance()
			.customBackoff(this.schedule)
			.maxAttempts(this.schedule.retries() + 1)
			.suffixTopicsWithIndexValues()
			// the listener is asynchronous: one consumer per retry topic is enough, and
			// fewer consumers mean fewer requests to the broker
			.concurrency(1)
			.autoCreateTopics(true, topics.partitions(), topics.replicas())
			.notRetryOn(PermanentDeliveryFailure.class)
			.traversingCauses()
			.dltHandlerMethod(DEAD_LETTER_HANDLER, "handle")
			.includeTopic(topics.deliveries())
			.create(template);
	}

	@Override
	protected void configureCustomizers(CustomizersConfigurer customizers) {
		customizers.customizeListenerContainer((container) -> {
			// spring-kafka pauses an asynchronous listener's consumer until the
			// records of its last poll are acknowledged, and an acknowledgement wakes
			// the paused poll; but one that arrives while an earlier one is committed
			// is spent on that commit, and the poll then waits out this timeout (100 ms
			// by default) before the next records are fetched
			container.getContainerProperties().setPollTimeoutWhilePaused(PAUSED_POLL);
			// a synchronous commit held the consumer thread for a round trip to the
			// group coordinator after every acknowledged poll, and an acknowledgement's
			// wake-up arriving meanwhile was spent on that commit: a delivery waited
			// 23 ms (median) between the fan-out's send and its call at 100
			// postbacks/s in the benchmark, 3 ms with asynchronous commits. A failed
			// asynchronous commit is logged and covered by the next one; on a
			// rebalance or a stop spring-kafka still commits synchronously, and the
			// consumer's close waits for commits in flight. After a crash a few
			// deliveries may be sent again, under the same delivery id, as before.
			container.getContainerProperties().setSyncCommits(false);
			String[] topics = container.getContainerProperties().getTopics();
			String retryTopics = this.properties.topics().deliveries() + "-retry";
			if (topics != null && Arrays.stream(topics).anyMatch((topic) -> topic.startsWith(retryTopics))) {
				// one record per poll: spring-kafka pauses an asynchronous listener's
				// consumer until every record of its last poll is acknowledged, and a
				// record the back-off sent back (not due yet) together with others of
				// the same poll left that consumer paused for good under load
				Properties single = new Properties();
				single.putAll(container.getContainerProperties().getKafkaConsumerProperties());
				single.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
				container.getContainerProperties().setKafkaConsumerProperties(single);
			}
		});
	}

	@Override
	protected Consumer<DeadLetterPublishingRecovererFactory> configureDeadLetterPublishingContainerFactory() {
		return (factory) -> {
			factory.setHeadersFunction(this::dueTime);
			factory.setDeadLetterPublisherCreator(RetryHandOff.Publisher::new);
			this.recoverers = factory;
		};
	}

	/**
	 * The deliveries' own way into the retry chain: the recoverer spring-kafka would use
	 * for the {@code deliveries} listener, called without blocking.
	 */
	@Bean
	RetryHandOff retryHandOff(
			@Qualifier(RetryTopicBeanNames.RETRY_TOPIC_CONFIGURER_BEAN_NAME) RetryTopicConfigurer configurer,
			DeliveryTimers timers) {
		Assert.state(this.recoverers != null, "Retry topics are not configured");
		return new RetryHandOff(this.recoverers.create(DeliveryListener.ID), timers);
	}

	/**
	 * Replaces the retry topic's due time with the scheduled pause plus jitter, or the
	 * partner's {@code Retry-After} within bounds; counts records that could not be
	 * parsed.
	 */
	private Headers dueTime(ConsumerRecord<?, ?> record, Exception exception) {
		Headers headers = new RecordHeaders();
		if (find(exception, DeserializationException.class) != null) {
			this.metrics.unparseable(record.topic());
			return headers;
		}
		// only a retry of an attempt handed on while its call was in flight carries it
		StillInFlight inFlight = find(exception, StillInFlight.class);
		headers.add(new SingleRecordHeader(DeliveryListener.IN_FLIGHT_ATTEMPT,
				(inFlight != null) ? inFlight.attemptId().getBytes(StandardCharsets.UTF_8) : new byte[0]));
		int attempt = DeliveryListener.attempt(record);
		if (attempt > this.schedule.retries()) {
			return headers;
		}
		RetryableDeliveryFailure failure = find(exception, RetryableDeliveryFailure.class);
		Duration pause = this.schedule.pauseAfter(attempt, (failure != null) ? failure.retryAfter() : null);
		if (inFlight != null) {
			// due once the call has certainly ended, so its outcome is known
			pause = pause.plus(inFlight.callLeft());
		}
		long due = this.clock.millis() + pause.toMillis();
		headers.add(new SingleRecordHeader(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP,
				BigInteger.valueOf(due).toByteArray()));
		return headers;
	}

	private static <T extends Throwable> T find(Throwable exception, Class<T> type) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
