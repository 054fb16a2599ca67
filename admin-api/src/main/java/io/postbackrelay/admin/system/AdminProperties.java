package io.postbackrelay.admin.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of admin-api, under {@code relay.admin}.
 *
 * @param topics the topics it produces to (test postbacks, replays)
 * @param tokens the bearer tokens that may call {@code /api/**}
 * @param maxPageSize the largest {@code limit} a listing returns; larger asks are capped
 * @param maxHours the widest {@code hours} window a listing accepts
 */
@ConfigurationProperties("relay.admin")
public record AdminProperties(@DefaultValue Topics topics, @DefaultValue List<Token> tokens,
		@DefaultValue("200") int maxPageSize, @DefaultValue("720") int maxHours) {

	/**
	 * Topics admin-api produces to.
	 *
	 * @param postbacks where test postbacks go
	 * @param deliveries where replayed deliveries go
	 */
	public record Topics(@DefaultValue("postbacks") String postbacks, @DefaultValue("deliveries") String deliveries) {
	}

	/**
	 * One bearer token. Give either the token itself (from an environment variable or a
	 * mounted secret) or its SHA-256 in hex; only the hash is kept in memory.
	 *
	 * @param name who holds it, for audit logs
	 * @param role what it may do
	 * @param token the token, or {@code null}
	 * @param sha256 the token's SHA-256 in hex, or {@code null}
	 */
	public record Token(String name, Role role, String token, String sha256) {
	}

	/**
	 * What a token may do.
	 */
	public enum Role {

		/** Reads everything. */
		VIEWER,

		/** Reads, changes partners and sources, sends test postbacks and replays. */
		OPERATOR

	}

}
