package io.postbackrelay.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gets the services' hot paths compiled before anything is measured: wrk on ingest first,
 * then the whole relay at the fixed rate, during which one partner hangs for a while and
 * then answers 503 for a while, so that the paths of scenarios 3 and 4 (refusals, retry
 * topics, hand-offs, half-open probes) are compiled too. Without that, the JIT compiler
 * threads took half a core in scenario 3 against a sixth in scenario 2.
 * <p>
 * The partner then hangs once more for a short while. With one hang in the warm-up,
 * 110-120 of the healthy partners' 297 deliveries of scenario 3's first second took over
 * 10 ms (two partial runs), while the dispatcher's C2 compiler thread compiled the hang's
 * paths again (137 clock ticks in the first 10 s, against 24 in 10 s of scenario 2). With
 * the second hang, 12 did in a partial run and 16 and 17 in two full ones;
 * docs/performance.md (item 8) has what this does not settle.
 */
final class WarmUp {

	static final int WRK_SECONDS = 15;

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

	static void run(Stack stack, int rate) throws Exception {
		Wrk.run(stack.ingestBase(), stack.ingestPath(), WRK_SECONDS, 64, stack.data());
		awaitDelivered(stack);
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
