package io.postbackrelay.dispatcher;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the dispatcher-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatcherApplication {

	/**
	 * The application, reading its configuration from {@code dispatcher-service.yml} so
	 * that the three services can share one classpath (tests, the local run) without
	 * reading each other's.
	 * @return the application, ready to run
	 */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(DispatcherApplication.class);
		application.setDefaultProperties(Map.of("spring.config.name", "dispatcher-service"));
		return application;
	}

	public static void main(String[] args) {
		application().run(args);
	}

}
