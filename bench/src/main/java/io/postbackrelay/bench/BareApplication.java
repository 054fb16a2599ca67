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
@SpringBootApplication(scanBasePackages = "io.postbackrelay.bench.none")
public class BareApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(BareApplication.class, Bare.class);
		application
			.setDefaultProperties(Map.of("spring.config.name", "bare", "spring.autoconfigure.exclude", String.join(",",
					"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration")));
		application.run(args);
	}

	@RestController
	static class Bare {

		@GetMapping("/postback/{key}")
		Map<String, String> answer() {
			return Map.of("status", "accepted");
		}

	}

}
