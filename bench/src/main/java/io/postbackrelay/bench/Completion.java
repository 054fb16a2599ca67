package io.postbackrelay.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.postbackrelay.common.CollectionNames;
import org.bson.Document;

/**
 * Counting what arrived: deliveries at the partner simulator plus dead letters in the
 * store, and postbacks stored.
 */
final class Completion {

	/** However long they keep arriving, a run waits no longer than this. */
	private static final long LONGEST_WAIT_SECONDS = 900;

	private Completion() {
	}

	/**
	 * Every delivery that arrived since the simulator's last reset (first arrivals, by
	 * delivery id), and every open dead letter.
	 */
	static Tally all(PartnerSimulator partners, MongoDatabase db) {
		return new Tally(() -> partners.arrivals().size(), () -> deadLetters(db));
	}

	/**
	 * The deliveries and dead letters of these postbacks: a late delivery or dead letter
	 * of an earlier scenario's postback must not stand in for a missing one of this
	 * scenario.
	 */
	static Tally of(PartnerSimulator partners, MongoDatabase db, Set<String> postbackIds) {
		return new Tally(() -> arrivalsOf(partners, postbackIds), () -> deadLettersOf(db, postbackIds));
	}

	private static long arrivalsOf(PartnerSimulator partners, Set<String> postbackIds) {
		return partners.arrivals()
			.values()
			.stream()
			.filter((arrival) -> postbackIds.contains(arrival.postbackId()))
			.count();
	}

	private static long deadLettersOf(MongoDatabase db, Set<String> postbackIds) {
		long count = 0;
		for (Document deadLetter : db.getCollection(CollectionNames.DEAD_LETTERS)
			.find(Filters.eq("status", "OPEN"))
			.projection(Projections.include("postbackId"))) {
			count += postbackIds.contains(deadLetter.getString("postbackId")) ? 1 : 0;
		}
		return count;
	}

	/**
	 * Waits until every expected delivery arrived or became a dead letter, for as long as
	 * they keep coming: only when none came for {@code quietSeconds} (or after 15
	 * minutes) are the rest counted as missing, so a late one is told from a lost one.
	 * @return deliveries arrived plus dead letters when done or out of time
	 */
	static long awaitComplete(Tally tally, long expected, int quietSeconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LONGEST_WAIT_SECONDS);
		long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(quietSeconds);
		long counted = tally.total();
		while (counted < expected && System.nanoTime() < Math.min(deadline, quietUntil)) {
			Thread.sleep(200);
			long previous = counted;
			counted = tally.total();
			if (counted > previous) {
				quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(quietSeconds);
			}
		}
		return counted;
	}

	/**
	 * Counts stored postbacks once the count stops moving (requests wrk left in flight
	 * are still answered and stored after it stops).
	 */
	static long settle(MongoDatabase db, long floor) throws InterruptedException {
		long previous = -1;
		long count = db.getCollection(CollectionNames.RECEIVED_POSTBACKS).countDocuments();
		while (count != previous) {
			Thread.sleep(1000);
			previous = count;
			count = db.getCollection(CollectionNames.RECEIVED_POSTBACKS).countDocuments();
		}
		return Math.max(floor, count);
	}

	static long deadLetters(MongoDatabase db) {
		return db.getCollection(CollectionNames.DEAD_LETTERS).countDocuments(Filters.eq("status", "OPEN"));
	}

	/**
	 * Writes the completeness line of a scenario, fails the run if something is missing,
	 * and clears the scenario's dead letters for the next one.
	 */
	static void write(Report report, Stack stack, long accepted, long expected, Tally tally) {
		long delivered = tally.arrived().getAsLong();
		long deadLetters = tally.deadLetters().getAsLong();
		long counted = delivered + deadLetters;
		long missing = Math.max(0, expected - counted);
		long underSeveralIds = stack.partners().underSeveralIds();
		report.missing(missing > 0 || underSeveralIds > 0);
		report.line(
				"Completeness: %d accepted x %d partners = %d; %d delivered + %d dead letters = %d (%s); "
						+ "%d copies under the same delivery id, %d under different ones.",
				accepted, Benchmark.PARTNERS, expected, delivered, deadLetters, counted,
				(missing == 0) ? "none missing" : "MISSING " + missing, stack.partners().copies(), underSeveralIds);
		long earlier = stack.partners().arrivals().size() - delivered;
		long earlierDeadLetters = deadLetters(stack.db()) - deadLetters;
		if (earlier > 0 || earlierDeadLetters > 0) {
			report.line("Meanwhile %d deliveries and %d dead letters of earlier postbacks arrived (late, or sent "
					+ "again after the simulator's reset), not counted here.", earlier, earlierDeadLetters);
		}
		report.line("");
		clearDeadLetters(stack.db());
	}

	/**
	 * Deletes the open dead letters.
	 */
	static void clearDeadLetters(MongoDatabase db) {
		db.getCollection(CollectionNames.DEAD_LETTERS).deleteMany(Filters.eq("status", "OPEN"));
	}

	/**
	 * What a scenario counts.
	 *
	 * @param arrived deliveries that arrived at the partner simulator
	 * @param deadLetters open dead letters
	 */
	record Tally(LongSupplier arrived, LongSupplier deadLetters) {

		long total() {
			return this.arrived.getAsLong() + this.deadLetters.getAsLong();
		}

	}

}
