package io.postbackrelay.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.local.LocalRelay;
import io.postbackrelay.local.LocalSettings;
import org.bson.types.ObjectId;

/**
 * The running stack a scenario measures.
 *
 * @param relay the local stack
 * @param settings its ports and store
 * @param partners the partner simulator
 * @param db the relay's database
 * @param data the run's scratch folder (logs, scripts)
 * @param warmUpKey the key of a source whose postbacks no partner takes, for warming
 * ingest up without a backlog of deliveries
 */
record Stack(LocalRelay relay, LocalSettings settings, PartnerSimulator partners, MongoDatabase db, Path data,
		String warmUpKey) {

	/**
	 * The demo source's postback URL.
	 * @return the URL
	 */
	String ingestUrl() {
		return ingestBase() + ingestPath();
	}

	String ingestBase() {
		return "http://127.0.0.1:" + this.settings.ingestPort();
	}

	String ingestPath() {
		return "/postback/" + this.relay.sourceKey();
	}

	String warmUpPath() {
		return "/postback/" + this.warmUpKey;
	}

	/**
	 * The embedded store ignores secondary indexes, so it scans a whole collection where
	 * MongoDB would use an index: the dead-letter handler's look-up of a delivery's last
	 * attempt scans every attempt log, and ingest's republisher (twice every 5 s) every
	 * stored postback; and the harness's heap, whose GC pauses delay the partner
	 * simulator and the load generator, holds them all. Each scenario therefore starts
	 * without the earlier scenarios' attempt logs and published postbacks, except the
	 * last 10 s: a retry of an attempt handed on while in flight (due after the partner's
	 * timeout plus the first pause, 3.2 s at most here) reads that attempt's log, and
	 * calls the partner again when it finds none.
	 */
	void withoutEarlierRecords() {
		if (this.settings.mongoUri() == null) {
			Date recent = Date.from(Instant.now().minusSeconds(10));
			this.db.getCollection(CollectionNames.PARTNER_POSTBACK_LOGS)
				.deleteMany(Filters.lt("_id", new ObjectId(recent)));
			this.db.getCollection(CollectionNames.RECEIVED_POSTBACKS)
				.deleteMany(Filters.and(Filters.eq("published", true), Filters.lt("receivedAt", recent)));
		}
	}

}
