package io.postbackrelay.dispatcher.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * The topics the dispatcher writes, and a producer that writes messages as JSON but raw
 * bytes as they are (so a record that could not be parsed reaches its dead-letter topic
 * unchanged).
 */
@Configuration(proxyBeanMethods = false)
class KafkaSetup {

	@Bean
	NewTopic deliveriesTopic(DispatcherProperties properties) {
		DispatcherProperties.Topics topics = properties.topics();
		return TopicBuilder.name(topics.deliveries())
			.partitions(topics.partitions())
			.replicas(topics.replicas())
			.build();
	}

	@Bean
	NewTopic postbacksDeadLetterTopic(DispatcherProperties properties) {
		DispatcherProperties.Topics topics = properties.topics();
		return TopicBuilder.name(topics.postbacksDlt())
			.partitions(topics.partitions())
			.replicas(topics.replicas())
			.build();
	}

	@Bean
	@SuppressWarnings("unchecked")
	DefaultKafkaProducerFactoryCustomizer rawBytesOrJson() {
		Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
		byType.put(byte[].class, new ByteArraySerializer());
		byType.put(Object.class, new JacksonJsonSerializer<>().noTypeInfo());
		return (factory) -> ((DefaultKafkaProducerFactory<Object, Object>) factory)
			.setValueSerializer(new DelegatingByTypeSerializer(byType, true));
	}

}
