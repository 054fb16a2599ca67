package io.postbackrelay.admin.system;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import io.postbackrelay.common.SourceKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the configured tokens. Only
 * SHA-256 hashes are held, compared in constant time against every token, so neither the
 * tokens nor the timing of a comparison give anything away.
 */
class BearerTokens extends OncePerRequestFilter {

	private static final String PREFIX = "Bearer ";

	private final List<Known> known;

	BearerTokens(AdminProperties properties) {
		this.known = properties.tokens().stream().map(BearerTokens::known).toList();
	}

	private static Known known(AdminProperties.Token token) {
		String hash = (token.sha256() != null && !token.sha256().isBlank()) ? token.sha256().toLowerCase()
				: SourceKeys.hash(token.token());
		return new Known(token.name(), token.role(), HexFormat.of().parseHex(hash));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
			byte[] presented = HexFormat.of().parseHex(SourceKeys.hash(header.substring(PREFIX.length()).strip()));
			Known match = null;
			for (Known candidate : this.known) {
				if (MessageDigest.isEqual(candidate.hash(), presented)) {
					match = candidate;
				}
			}
			if (match != null) {
				List<String> roles = (match.role() == AdminProperties.Role.OPERATOR)
						? List.of("ROLE_VIEWER", "ROLE_OPERATOR") : List.of("ROLE_VIEWER");
				SecurityContextHolder.getContext()
					.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(match.name(), null,
							AuthorityUtils.createAuthorityList(roles)));
			}
		}
		chain.doFilter(request, response);
	}

	private record Known(String name, AdminProperties.Role role, byte[] hash) {
	}

}
