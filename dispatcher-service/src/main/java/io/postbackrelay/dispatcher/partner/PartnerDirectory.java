package io.postbackrelay.dispatcher.partner;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.postbackrelay.common.PostbackEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The partners, read from MongoDB and kept in memory; re-read every
 * {@code partner-refresh} so edits take effect within seconds without a restart.
 */
@Component
public class PartnerDirectory {

	private static final Logger logger = LoggerFactory.getLogger(PartnerDirectory.class);

	private final MongoTemplate mongo;

	private volatile Map<String, Partner> partners;

	PartnerDirectory(MongoTemplate mongo) {
		this.mongo = mongo;
	}

	@Scheduled(fixedDelayString = "${relay.dispatcher.partner-refresh:5s}")
	void refresh() {
		try {
			this.partners = this.mongo.findAll(Partner.class)
				.stream()
				.collect(Collectors.toUnmodifiableMap(Partner::id, Function.identity()));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not refresh partners, keeping the last list: {}", ex.toString());
		}
	}

	/**
	 * The active partners whose rules match a postback.
	 * @param postback the postback
	 * @return the partners that should receive it
	 */
	public List<Partner> matching(PostbackEvent postback) {
		return all().values().stream().filter((partner) -> partner.accepts(postback)).toList();
	}

	/**
	 * A partner as it is now (at most one refresh interval old).
	 * @param id the partner id
	 * @return the partner, if it still exists
	 */
	public Optional<Partner> find(String id) {
		return Optional.ofNullable(all().get(id));
	}

	private Map<String, Partner> all() {
		Map<String, Partner> current = this.partners;
		if (current == null) {
			refresh();
			current = this.partners;
			if (current == null) {
				throw new IllegalStateException("Partners could not be read from MongoDB");
			}
		}
		return current;
	}

}
