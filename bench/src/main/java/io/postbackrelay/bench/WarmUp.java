package io.postbackrelay.bench;

/**
 * Gets the services' hot paths compiled before anything is measured: wrk on ingest first,
 * then the whole relay at the fixed rate. On 2 cores the JIT compilers settle after
 * 90-110 s of the latter (jstat), and took up to half of a service's CPU before.
 */
final class WarmUp {

	static final int WRK_SECONDS = 15;

	static final int STEADY_SECONDS = 100;

	private WarmUp() {
	}

	static void run(Stack stack, int rate) throws Exception {
		Wrk.run(stack.ingestBase(), stack.ingestPath(), WRK_SECONDS, 64, stack.data());
		awaitDelivered(stack);
		new OpenLoad().run(stack.ingestUrl(), rate, STEADY_SECONDS, "w" + System.nanoTime());
		awaitDelivered(stack);
	}

	/**
	 * Waits until every postback stored so far reached every partner.
	 */
	private static void awaitDelivered(Stack stack) throws InterruptedException {
		long expected = Completion.settle(stack.db(), 0) * Benchmark.PARTNERS;
		long counted = Completion.awaitComplete(Completion.allArrivals(stack.partners()), stack.db(), expected, 300);
		System.out.printf("relay-bench: warm-up delivered %d of %d, %d copies%n", counted, expected,
				stack.partners().copies());
	}

}
