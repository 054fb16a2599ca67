package io.postbackrelay.admin.source;

import java.time.Instant;
import java.util.List;

import io.postbackrelay.common.CollectionNames;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A platform allowed to post, as stored in {@code sources}: its key only as a SHA-256
 * hash and a short prefix to recognise it by.
 *
 * @param id the source id
 * @param name its name
 * @param keyHash SHA-256 of its key
 * @param keyPrefix the key's first characters
 * @param active whether it may post
 * @param allowedIps CIDRs it may post from; empty means anywhere
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
@Document(CollectionNames.SOURCES)
record Source(@Id String id, String name, String keyHash, String keyPrefix, boolean active, List<String> allowedIps,
		Instant createdAt, Instant updatedAt) {
}
