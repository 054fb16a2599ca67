package io.postbackrelay.admin.system;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Who may call what: {@code viewer} tokens read {@code /api/**}, {@code operator} tokens
 * also change and replay; the console's static files, health and metrics are open. Errors
 * are problem details: 401 without a valid token, 403 with the wrong role. No sessions,
 * no cookies, so no CSRF token is needed.
 */
@Configuration(proxyBeanMethods = false)
class SecuritySetup {

	@Bean
	SecurityFilterChain adminSecurity(HttpSecurity http, AdminProperties properties, ObjectMapper json) {
		http.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.addFilterBefore(new BearerTokens(properties), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/", "/admin", "/admin/**", "/actuator/health/**", "/actuator/info",
						"/actuator/prometheus", "/error")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/api/**")
				.hasRole("VIEWER")
				.requestMatchers("/api/**", "/test-distribution-now")
				.hasRole("OPERATOR")
				.anyRequest()
				.denyAll())
			.exceptionHandling((errors) -> errors
				.authenticationEntryPoint((request, response, ex) -> problem(json, response, HttpStatus.UNAUTHORIZED,
						"A valid 'Authorization: Bearer <token>' header is required"))
				.accessDeniedHandler((request, response, ex) -> problem(json, response, HttpStatus.FORBIDDEN,
						"This token's role may not do this")));
		return http.build();
	}

	/**
	 * No user names or passwords: only bearer tokens. Declaring this keeps Boot from
	 * generating (and logging) a default password.
	 */
	@Bean
	UserDetailsService noUsers() {
		return (username) -> {
			throw new UsernameNotFoundException("Only bearer tokens are accepted");
		};
	}

	private static void problem(ObjectMapper json, HttpServletResponse response, HttpStatus status, String detail)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType("application/problem+json");
		json.writeValue(response.getOutputStream(), ProblemDetail.forStatusAndDetail(status, detail));
	}

}
