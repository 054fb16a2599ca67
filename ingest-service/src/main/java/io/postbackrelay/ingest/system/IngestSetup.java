package io.postbackrelay.ingest.system;

import java.time.Clock;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Declares the topic ingest publishes to, so it exists with its partitions before the
 * first postback; turns on the scheduled republisher; and provides the clock.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class IngestSetup {

	@Bean
	NewTopic postbacksTopic(IngestProperties properties) {
		return TopicBuilder.name(properties.topic()).partitions(properties.topicPartitions()).build();
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
