package io.postbackrelay.bench;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.model.Filters;
import io.postbackrelay.common.CollectionNames;

/**
 * Gets the services' hot paths compiled before anything is measured: wrk on ingest first,
 * until its speed is steady as the bare endpoint's is ({@link SteadyWarmUp}), then the
 * whole relay at the fixed rate, during which one partner hangs for a while and then
 * answers 503 for a while, so that the paths of scenarios 3 and 4 (refusals, retry
 * topics, hand-offs, half-open probes) are compiled too. Without that, the JIT compiler
 * threads took half a core in scenario 3 against a sixth in scenario 2.
 * <p>
 * The partner then hangs once more for a short while. With one hang in the warm-up,
 * 110-120 of the healthy partners' 297 deliveries of scenario 3's first second took over
 * 10 ms (two partial runs), while the dispatcher's C2 compiler thread compiled the hang's
 * paths again (137 clock ticks in the first 10 s, against 24 in 10 s of scenario 2). With
 * the second hang, 12 did in a partial run and 16 and 17 in two full ones;
 * docs/performance-history.md (item 8) has what this does not settle.
 */
final class WarmUp {

	static final int STEADY_SECONDS = 100;

	/** When, into the fixed-rate part, the troubled partner starts to hang. */
	private static final int HANGS_FROM = 10;

	/** When it answers 503 instead. */
	private static final int FAILS_FROM = 35;

	/** When it is healthy again, leaving time for its retries to deliver. */
	private static final int HEALTHY_FROM = 50;

	/** When it hangs once more. */
	private static final int HANGS_AGAIN_FROM = 70;

	/** When it is healthy for the rest of the warm-up. */
	private static final int HEALTHY_AGAIN_FROM = 80;

	/** What the troubled partner does, for the report. */
	static final String TROUBLES = "p3 hanging for %d s, then answering 503 for %d s, later hanging again for %d s"
		.formatted(FAILS_FROM - HANGS_FROM, HEALTHY_FROM - FAILS_FROM, HEALTHY_AGAIN_FROM - HANGS_AGAIN_FROM);

	private WarmUp() {
	}

	/**
	 * Runs the warm-up.
	 * @param stack the stack
	 * @param rate the fixed rate
	 * @return ingest's warm-up runs, answers per second
	 */
	static List<Double> run(Stack stack, int rate) throws Exception {
		List<Double> ingest = ingest(stack);
		PartnerSimulator partners = stack.partners();
		ScheduledExecutorService troubles = Executors.newSingleThreadScheduledExecutor();
		try {
			troubles.schedule(() -> partners.behave(Benchmark.TROUBLED, PartnerSimulator.Behaviour.hanging()),
					HANGS_FROM, TimeUnit.SECONDS);
			troubles.schedule(() -> partners.behave(Benchmark.TROUBLED, new PartnerSimulator.Behaviour(0, 503, false)),
					FAILS_FROM, TimeUnit.SECONDS);
			troubles.schedule(() -> partners.behave(Benchmark.TROUBLED, Benchmark.healthy()), HEALTHY_FROM,
					TimeUnit.SECONDS);
			troubles.schedule(() -> partners.behave(Benchmark.TROUBLED, PartnerSimulator.Behaviour.hanging()),
					HANGS_AGAIN_FROM, TimeUnit.SECONDS);
			troubles.schedule(() -> partners.behave(Benchmark.TROUBLED, Benchmark.healthy()), HEALTHY_AGAIN_FROM,
					TimeUnit.SECONDS);
			new OpenLoad().run(stack.ingestUrl(), rate, STEADY_SECONDS, "w" + System.nanoTime());
		}
		finally {
			troubles.shutdownNow();
			partners.behave(Benchmark.TROUBLED, Benchmark.healthy());
		}
		awaitDelivered(stack);
		// the warm-up's dead letters are no scenario's
		Completion.clearDeadLetters(stack.db());
		return ingest;
	}

	/**
	 * Warms ingest up as its ceiling is measured: with the dispatcher paused. The
	 * postbacks come from a source no partner takes, so the dispatcher, once resumed,
	 * only reads them. They are deleted after each run: ingest's republisher queries the
	 * stored postbacks every few seconds, which the embedded store answers by scanning
	 * them all.
	 */
	private static List<Double> ingest(Stack stack) throws Exception {
		long dispatcher = stack.relay().servicePids().get(1);
		AtomicLong deleted = new AtomicLong();
		Runnable delete = () -> deleted.addAndGet(stack.db()
			.getCollection(CollectionNames.RECEIVED_POSTBACKS)
			.deleteMany(Filters.eq("sourceId", Benchmark.WARM_UP_SOURCE))
			.getDeletedCount());
		List<Double> rates;
		Processes.signal("STOP", dispatcher);
		try {
			rates = SteadyWarmUp.run(stack.ingestBase(), stack.warmUpPath(), stack.data(), delete);
			// answers still in flight when wrk stopped
			Completion.settle(stack.db(), 0);
			delete.run();
		}
		finally {
			Processes.signal("CONT", dispatcher);
		}
		System.out.printf("relay-bench: ingest's warm-up: %s answers/s, %d postbacks stored and deleted%n",
				SteadyWarmUp.describe(rates), deleted.get());
		return rates;
	}

	/**
	 * Waits until every postback stored so far reached every partner or the dead letters.
	 */
	private static void awaitDelivered(Stack stack) throws InterruptedException {
		long expected = Completion.settle(stack.db(), 0) * Benchmark.PARTNERS;
		long counted = Completion.awaitComplete(Completion.all(stack.partners(), stack.db()), expected, 300);
		System.out.printf("relay-bench: warm-up delivered %d of %d (dead letters included), %d copies%n", counted,
				expected, stack.partners().copies());
	}

}
