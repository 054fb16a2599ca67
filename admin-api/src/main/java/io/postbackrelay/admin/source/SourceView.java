package io.postbackrelay.admin.source;

import java.time.Instant;
import java.util.List;

/**
 * A source as the API shows it, and its key only right after creation or rotation.
 *
 * @param id the source id
 * @param name its name
 * @param keyPrefix the key's first characters
 * @param active whether it may post
 * @param allowedIps the CIDRs it may post from
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param key the full key, shown once; {@code null} otherwise
 */
record SourceView(String id, String name, String keyPrefix, boolean active, List<String> allowedIps, Instant createdAt,
		Instant updatedAt, String key) {

	static SourceView of(Source source, String key) {
		return new SourceView(source.id(), source.name(), source.keyPrefix(), source.active(),
				(source.allowedIps() != null) ? source.allowedIps() : List.of(), source.createdAt(), source.updatedAt(),
				key);
	}

}
