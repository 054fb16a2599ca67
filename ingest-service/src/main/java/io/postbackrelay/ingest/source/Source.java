package io.postbackrelay.ingest.source;

import java.util.List;

import io.postbackrelay.common.CollectionNames;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A platform allowed to post, as ingest reads it from {@code sources}.
 *
 * @param id the source id
 * @param name its display name
 * @param keyHash SHA-256 of its key
 * @param active whether it may post
 * @param allowedIps CIDRs it may post from; empty means anywhere
 */
@Document(CollectionNames.SOURCES)
public record Source(@Id String id, String name, String keyHash, boolean active, List<String> allowedIps) {

	public Source {
		allowedIps = (allowedIps != null) ? List.copyOf(allowedIps) : List.of();
	}

}
