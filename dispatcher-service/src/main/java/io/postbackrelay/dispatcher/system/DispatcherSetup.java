package io.postbackrelay.dispatcher.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Turns on scheduling (partner refresh) and provides the clock.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DispatcherSetup {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
