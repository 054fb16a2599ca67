package io.postbackrelay.dispatcher.delivery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads that write delivery attempt logs, so that neither the Kafka consumer nor
 * OkHttp's threads wait on MongoDB. On shutdown it finishes the writes it has.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryLogSetup {

	static final String NAME = "deliveryLogWriter";

	@Bean(NAME)
	ThreadPoolTaskExecutor deliveryLogWriter() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(4);
		executor.setMaxPoolSize(4);
		executor.setThreadNamePrefix("delivery-log-");
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(30);
		return executor;
	}

}
