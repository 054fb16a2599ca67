package io.postbackrelay.admin.system;

import java.time.Clock;

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

/**
 * The clock, a MongoDB health check, and the index admin-api's writes rely on.
 */
@Configuration(proxyBeanMethods = false)
class AdminSetup {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Health by {@code ping}, which every MongoDB-protocol server answers.
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
	ApplicationRunner adminIndexes(MongoTemplate mongo) {
		return (args) -> mongo.indexOps(CollectionNames.SOURCES)
			.createIndex(new Index("keyHash", Direction.ASC).unique().named("keyHash_unique"));
	}

}
