package io.postbackrelay.dispatcher.fanout;

import java.time.Duration;

import io.postbackrelay.dispatcher.delivery.DispatchMetrics;
import io.postbackrelay.dispatcher.system.DispatcherProperties;
import org.apache.kafka.common.TopicPartition;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The fan-out's container: a postback that cannot be parsed goes to {@code postbacks-dlt}
 * at once and is counted; any other failure (Kafka or MongoDB unavailable) is retried
 * with back-off until it succeeds, never dropped. Consumer lag shows such a stall.
 */
@Configuration(proxyBeanMethods = false)
class FanOutConfiguration {

	static final String FACTORY = "fanOutContainerFactory";

	@Bean(FACTORY)
	ConcurrentKafkaListenerContainerFactory<Object, Object> fanOutContainerFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
			KafkaTemplate<Object, Object> template, DispatcherProperties properties, DispatchMetrics metrics) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, consumers);
		// a poll's postbacks are fanned out together and committed once
		factory.setBatchListener(true);
		factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
		String deadLetters = properties.topics().postbacksDlt();
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template, (record, ex) -> {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof DeserializationException) {
					metrics.unparseable(record.topic());
					break;
				}
			}
			return new TopicPartition(deadLetters, -1);
		});
		// parse failures are not retryable (DefaultErrorHandler's classification);
		// anything
		// else is Kafka or MongoDB being unavailable, so wait for it rather than drop a
		// postback
		ExponentialBackOff untilBack = new ExponentialBackOff(Duration.ofMillis(500).toMillis(), 2);
		untilBack.setMaxInterval(Duration.ofSeconds(30).toMillis());
		factory.setCommonErrorHandler(new DefaultErrorHandler(recoverer, untilBack));
		return factory;
	}

}
