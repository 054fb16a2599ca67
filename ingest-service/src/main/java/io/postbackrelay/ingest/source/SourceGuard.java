package io.postbackrelay.ingest.source;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.postbackrelay.common.CidrBlock;
import io.postbackrelay.common.SourceKeys;
import io.postbackrelay.ingest.system.IngestProperties;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Authenticates a source key and checks the client's address against the source's allowed
 * ranges. Look-ups are cached briefly so a burst of postbacks costs one read.
 */
@Component
public class SourceGuard {

	private final MongoTemplate mongo;

	private final Cache<String, Optional<Source>> byKeyHash;

	SourceGuard(MongoTemplate mongo, IngestProperties properties) {
		this.mongo = mongo;
		this.byKeyHash = Caffeine.newBuilder()
			.expireAfterWrite(properties.sourceCacheTtl())
			.maximumSize(10_000)
			.build();
	}

	/**
	 * The active source a key belongs to, if the address may post for it.
	 * @param key the key from the URL
	 * @param clientAddress the client's address
	 * @return the source
	 * @throws UnknownSource if no active source has this key
	 * @throws AddressNotAllowed if the source does not allow this address
	 */
	public Source authenticate(String key, String clientAddress) {
		Source source = this.byKeyHash.get(SourceKeys.hash(key), this::find)
			.filter(Source::active)
			.orElseThrow(UnknownSource::new);
		if (!source.allowedIps().isEmpty()
				&& source.allowedIps().stream().noneMatch((cidr) -> CidrBlock.matches(cidr, clientAddress))) {
			throw new AddressNotAllowed(source.name(), clientAddress);
		}
		return source;
	}

	private Optional<Source> find(String keyHash) {
		return Optional
			.ofNullable(this.mongo.findOne(Query.query(Criteria.where("keyHash").is(keyHash)), Source.class));
	}

}
