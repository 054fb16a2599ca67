package io.postbackrelay.bench;

import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * Counting what arrived: deliveries at the partner simulator plus dead letters in the
 * store, and postbacks stored.
 */
final class Completion {

	private Completion() {
	}

	/**
	 * Waits until every expected delivery arrived or became a dead letter.
	 * @return deliveries arrived plus dead letters when done or out of time
	 */
	static long awaitComplete(PartnerSimulator partners, MongoDatabase db, long expected, int seconds)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long counted = 0;
		while (System.nanoTime() < deadline) {
			counted = partners.arrivals().size() + deadLetters(db);
			if (counted >= expected) {
				break;
			}
			Thread.sleep(200);
		}
		return counted;
	}

	/**
	 * Counts stored postbacks once the count stops moving (requests wrk left in flight
	 * are still answered and stored after it stops).
	 */
	static long settle(MongoDatabase db, long floor) throws InterruptedException {
		long previous = -1;
		long count = db.getCollection("received_postbacks").countDocuments();
		while (count != previous) {
			Thread.sleep(1000);
			previous = count;
			count = db.getCollection("received_postbacks").countDocuments();
		}
		return Math.max(floor, count);
	}

	static long deadLetters(MongoDatabase db) {
		return db.getCollection("dead_letters").countDocuments(Filters.eq("status", "OPEN"));
	}

}
