package io.postbackrelay.bench;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bare endpoint ingest is compared with: the same framework, the same JVM settings,
 * answering 200 with a small JSON body and doing nothing else.
 */
public class BareApplication {

	public static void main(String[] args) {
		run(args, Bare.class);
	}

	/**
	 * Runs a benchmark endpoint with the relay's own settings of the framework.
	 * @param args command-line arguments
	 * @param components the controllers to run
	 */
	static void run(String[] args, Class<?>... components) {
		Class<?>[] sources = new Class<?>[components.length + 1];
		sources[0] = Boot.class;
		System.arraycopy(components, 0, sources, 1, components.length);
		SpringApplication application = new SpringApplication(sources);
		application
			.setDefaultProperties(Map.of("spring.config.name", "bare", "spring.autoconfigure.exclude", String.join(",",
					"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration")));
		application.run(args);
	}

	/**
	 * Boot's auto-configuration and nothing scanned: each endpoint is given as a source.
	 */
	@SpringBootApplication(scanBasePackages = "io.postbackrelay.bench.none")
	static class Boot {

	}

	@RestController
	static class Bare {

		@GetMapping("/postback/{key}")
		Map<String, String> answer() {
			return Map.of("status", "accepted");
		}

	}

}
