package io.postbackrelay.dispatcher.system;

import io.postbackrelay.common.CollectionNames;
import org.bson.Document;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort.Direction;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexOperations;

/**
 * The indexes the delivery log and dead letters need, created at start-up, and a MongoDB
 * health check.
 */
@Configuration(proxyBeanMethods = false)
class MongoSetup {

	/**
	 * Health by {@code ping}, which every MongoDB-protocol server answers (Boot's own
	 * indicator sends {@code hello}, which the in-JVM server does not know).
	 */
	@Bean
	HealthIndicator mongoHealthIndicator(MongoTemplate mongo) {
		return () -> {
			try {
				mongo.executeCommand(new Document("ping", 1));
				return Health.up().build();
			}
			catch (RuntimeException ex) {
				return Health.down(ex).build();
			}
		};
	}

	@Bean
	ApplicationRunner dispatcherIndexes(MongoTemplate mongo, DispatcherProperties properties) {
		return (args) -> {
			IndexOperations logs = mongo.indexOps(CollectionNames.PARTNER_POSTBACK_LOGS);
			logs.createIndex(
					new Index("timestamp", Direction.ASC).expire(properties.logRetention()).named("timestamp_ttl"));
			logs.createIndex(new Index("deliveryId", Direction.ASC).named("deliveryId"));
			logs.createIndex(new Index("sourceLogId", Direction.ASC).named("sourceLogId"));
			logs.createIndex(
					new Index("partnerId", Direction.ASC).on("timestamp", Direction.DESC).named("partner_timestamp"));
			logs.createIndex(
					new Index("success", Direction.ASC).on("timestamp", Direction.DESC).named("success_timestamp"));
			IndexOperations deadLetters = mongo.indexOps(CollectionNames.DEAD_LETTERS);
			deadLetters
				.createIndex(new Index("status", Direction.ASC).on("deadAt", Direction.DESC).named("status_deadAt"));
			deadLetters.createIndex(
					new Index("partnerId", Direction.ASC).on("deadAt", Direction.DESC).named("partner_deadAt"));
			mongo.indexOps(CollectionNames.PARTNERS).createIndex(new Index("active", Direction.ASC).named("active"));
		};
	}

}
