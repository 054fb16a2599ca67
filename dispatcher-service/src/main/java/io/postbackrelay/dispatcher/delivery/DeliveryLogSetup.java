package io.postbackrelay.dispatcher.delivery;

import java.util.Collections;
import java.util.List;

import io.postbackrelay.common.GroupCommit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Writes delivery attempt logs in batches (a group commit: one insert for whatever
 * attempts finished while the previous insert ran), so that neither the Kafka consumer
 * nor OkHttp's threads wait on MongoDB and a busy dispatcher makes one round trip per
 * batch rather than per attempt. On shutdown it writes what is queued.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryLogSetup {

	static final String NAME = "deliveryLogWriter";

	private static final int MAX_BATCH = 500;

	@Bean(name = NAME, destroyMethod = "close")
	GroupCommit<DeliveryAttempt, Boolean> deliveryLogWriter(MongoTemplate mongo) {
		return new GroupCommit<>("delivery-log-writer", MAX_BATCH, (attempts) -> {
			mongo.insert(attempts, DeliveryAttempt.class);
			return Collections.nCopies(attempts.size(), Boolean.TRUE);
		});
	}

}
