package io.postbackrelay.ingest.source;

import java.util.List;

import io.postbackrelay.common.CidrBlock;
import io.postbackrelay.ingest.system.IngestProperties;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/**
 * Finds the address a postback came from: the connection's peer, or, when that peer is a
 * trusted proxy, the nearest untrusted address in {@code X-Forwarded-For}.
 */
@Component
public class ClientAddress {

	private final List<CidrBlock> trustedProxies;

	ClientAddress(IngestProperties properties) {
		this.trustedProxies = properties.trustedProxies().stream().map(CidrBlock::parse).toList();
	}

	/**
	 * The client address of a request.
	 * @param request the request
	 * @return an address literal
	 */
	public String of(HttpServletRequest request) {
		String peer = request.getRemoteAddr();
		String forwarded = request.getHeader("X-Forwarded-For");
		if (forwarded == null || !isTrusted(peer)) {
			return peer;
		}
		String[] hops = forwarded.split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			String hop = hops[i].strip();
			if (!hop.isEmpty() && !isTrusted(hop)) {
				return hop;
			}
		}
		String first = hops.length > 0 ? hops[0].strip() : "";
		return first.isEmpty() ? peer : first;
	}

	private boolean isTrusted(String address) {
		return this.trustedProxies.stream().anyMatch((block) -> block.contains(address));
	}

}
