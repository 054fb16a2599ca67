package io.postbackrelay.common;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One postback to be delivered to one partner: the value of topic {@code deliveries} and
 * its retry and dead-letter topics.
 *
 * @param schemaVersion version of this record's layout
 * @param deliveryId stable id of this (postback, partner) pair, kept across retries,
 * restarts and replays
 * @param postbackId id of the received postback
 * @param partnerId the partner to deliver to
 * @param sourceId id of the platform that sent the postback
 * @param sourceName name of that platform
 * @param params the parameters to send
 * @param receivedAt when ingest received the postback
 * @param test whether this comes from a test postback
 * @param origin whether the retry schedule or an admin's replay started this attempt
 * @param replayCount how many times an admin replayed this delivery
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeliveryTask(int schemaVersion, String deliveryId, String postbackId, String partnerId, String sourceId,
		String sourceName, Map<String, String> params, Instant receivedAt, boolean test, DeliveryOrigin origin,
		int replayCount) {

	/** The layout version this code writes. */
	public static final int SCHEMA_VERSION = 1;

	public DeliveryTask {
		// keeps the platform's order, so partners get parameters in the order they were
		// sent
		params = (params != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(params)) : Map.of();
		origin = (origin != null) ? origin : DeliveryOrigin.SCHEDULED;
	}

	/**
	 * The same delivery, started again by an admin.
	 * @return a manual replay of this task
	 */
	public DeliveryTask replayed() {
		return new DeliveryTask(SCHEMA_VERSION, this.deliveryId, this.postbackId, this.partnerId, this.sourceId,
				this.sourceName, this.params, this.receivedAt, this.test, DeliveryOrigin.MANUAL, this.replayCount + 1);
	}

}
