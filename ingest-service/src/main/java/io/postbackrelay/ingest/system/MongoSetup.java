package io.postbackrelay.ingest.system;

import java.util.concurrent.TimeUnit;

import io.postbackrelay.common.CollectionNames;

import org.bson.Document;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort.Direction;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexOperations;

/**
 * MongoDB client timeouts and the indexes ingest relies on, created at start-up.
 */
@Configuration(proxyBeanMethods = false)
class MongoSetup {

	@Bean
	MongoClientSettingsBuilderCustomizer mongoTimeouts(IngestProperties properties) {
		long millis = properties.mongoTimeout().toMillis();
		return (settings) -> settings
			.applyToClusterSettings((cluster) -> cluster.serverSelectionTimeout(millis, TimeUnit.MILLISECONDS))
			.applyToSocketSettings((socket) -> socket.connectTimeout((int) millis, TimeUnit.MILLISECONDS)
				.readTimeout((int) millis, TimeUnit.MILLISECONDS));
	}

	/**
	 * Health by {@code ping}, which every MongoDB-protocol server answers (Boot's own
	 * indicator sends {@code hello}, which the in-JVM server does not know).
	 */
	@Bean
	HealthIndicator mongoHealthIndicator(MongoTemplate mongo) {
		return () -> {
			try {
				mongo.executeCommand(new Document("ping", 1));
				return Health.up().withDetail("database", mongo.getDb().getName()).build();
			}
			catch (RuntimeException ex) {
				return Health.down(ex).build();
			}
		};
	}

	@Bean
	ApplicationRunner ingestIndexes(MongoTemplate mongo) {
		return (args) -> {
			IndexOperations received = mongo.indexOps(CollectionNames.RECEIVED_POSTBACKS);
			received.createIndex(new Index("dedupeKey", Direction.ASC).unique().named("dedupeKey_unique"));
			received.createIndex(new Index("published", Direction.ASC).on("receivedAt", Direction.ASC)
				.named("unpublished_oldest_first"));
			received.createIndex(new Index("receivedAt", Direction.DESC).named("receivedAt_desc"));
			received.createIndex(
					new Index("sourceId", Direction.ASC).on("receivedAt", Direction.DESC).named("source_receivedAt"));
			received.createIndex(new Index("clickId", Direction.ASC).named("clickId"));
			mongo.indexOps(CollectionNames.SOURCES)
				.createIndex(new Index("keyHash", Direction.ASC).unique().named("keyHash_unique"));
		};
	}

}
