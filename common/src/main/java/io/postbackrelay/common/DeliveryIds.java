package io.postbackrelay.common;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Derives the stable delivery id of a (postback, partner) pair, so that a fan-out run
 * twice (after a restart, say) gives the partner the same id to de-duplicate on.
 */
public final class DeliveryIds {

	private DeliveryIds() {
	}

	/**
	 * The delivery id of a postback to a partner.
	 * @param postbackId the received postback's id
	 * @param partnerId the partner's id
	 * @return a name-based UUID, the same for the same pair
	 */
	public static String of(String postbackId, String partnerId) {
		return UUID.nameUUIDFromBytes((postbackId + "/" + partnerId).getBytes(StandardCharsets.UTF_8)).toString();
	}

}
