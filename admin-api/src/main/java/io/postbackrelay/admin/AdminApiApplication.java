package io.postbackrelay.admin;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the admin-api.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdminApiApplication {

	/**
	 * The application, reading its configuration from {@code admin-api.yml} so that the
	 * three services can share one classpath (tests, the local run) without reading each
	 * other's.
	 * @return the application, ready to run
	 */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(AdminApiApplication.class);
		application.setDefaultProperties(Map.of("spring.config.name", "admin-api"));
		return application;
	}

	public static void main(String[] args) {
		application().run(args);
	}

}
