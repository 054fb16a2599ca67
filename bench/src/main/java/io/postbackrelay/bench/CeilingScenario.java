package io.postbackrelay.bench;

import java.util.List;

/**
 * Scenario 1, the ingest ceiling against a bare endpoint, measured with the dispatcher
 * paused and with it delivering; then how fast the dispatcher delivers each backlog; and
 * scenario 7, peak memory.
 */
final class CeilingScenario {

	private final Stack stack;

	private final Report report;

	CeilingScenario(Stack stack, Report report) {
		this.stack = stack;
		this.report = report;
	}

	/**
	 * Runs the scenario.
	 * @param ingestWarmUp ingest's warm-up runs, answers per second
	 */
	void run(List<Double> ingestWarmUp) throws Exception {
		Bare bare;
		Alone alone;
		List<Double> bareWarmUp;
		try (BareEndpoint endpoint = BareEndpoint.start(this.stack.data())) {
			bareWarmUp = endpoint.warmUp();
			Measured bareBefore = endpoint.measure();
			alone = alone(endpoint);
			bare = new Bare(bareBefore, alone.bareAfter());
		}
		List<Long> rss = this.stack.relay().servicePids().stream().map(Processes::peakRssKb).toList();
		Drain aloneDrain = drain(alone.accepted(), alone.resumedNanos());
		long before = Completion.settle(this.stack.db(), 0);
		long sharedStarted = System.nanoTime();
		Wrk.Result shared = wrk();
		long sharedAccepted = Completion.settle(this.stack.db(), before) - before;
		Drain sharedDrain = drain(sharedAccepted, sharedStarted);
		writeCeiling(bareWarmUp, ingestWarmUp, bare, alone, shared, sharedAccepted);
		writeDrains(aloneDrain, sharedDrain);
		writeMemory(rss);
	}

	private void writeCeiling(List<Double> bareWarmUp, List<Double> ingestWarmUp, Bare bare, Alone alone,
			Wrk.Result shared, long sharedAccepted) {
		line("## 1. Ingest ceiling (wrk, 64 connections, %d s each, unique click ids; warm-up: the bare endpoint and "
				+ "ingest each in %s, ingest's from a source no partner takes, with the dispatcher paused; then the "
				+ "relay %d s at the fixed rate, %s)", Benchmark.WRK_SECONDS, SteadyWarmUp.RULE, WarmUp.STEADY_SECONDS,
				WarmUp.TROUBLES);
		line("");
		line("Warm-up runs, answers/s: the bare endpoint %s; ingest %s.", SteadyWarmUp.describe(bareWarmUp),
				SteadyWarmUp.describe(ingestWarmUp));
		line("");
		line("| endpoint | answers/s | p50 ms | p99 ms | errors | stored | vs bare |");
		line("|---|---|---|---|---|---|---|");
		Wrk.Result faster = bare.faster();
		bareRow("right before ingest's run", bare.before().result(), faster);
		ceilingRow("ingest, dispatcher paused (as on its own machine)", alone.run().result(), alone.accepted(), faster);
		bareRow("right after it", bare.after().result(), faster);
		ceilingRow("ingest, dispatcher delivering on the same 2 cores", shared, sharedAccepted, faster);
		line("");
		line("Ingest stores and publishes every accepted postback (authenticate, validate, de-duplicate, insert, "
				+ "Kafka acks=all) at **%.0f%%** of the bare endpoint's throughput when it has the machine to itself "
				+ "(goal: at least 50%%), against the faster of the bare endpoint's two runs (one right before, one "
				+ "right after ingest's: the machine's speed drifts).",
				100 * alone.run().result().requestsPerSecond() / faster.requestsPerSecond());
		line("");
		if (bare.before().cpu() != null) {
			line("The bare endpoint's run before ingest's: %s", bare.before().cpu());
			line("");
			line("Ingest's run with the dispatcher paused: %s", alone.run().cpu());
			line("");
			line("The bare endpoint's run after it: %s", bare.after().cpu());
			line("");
		}
	}

	private void writeDrains(Drain alone, Drain shared) {
		line("| deliveries of | deliveries | all delivered after | deliveries/s | missing | copies |");
		line("|---|---|---|---|---|---|");
		drainRow("the paused run (a backlog, from the dispatcher's resumption)", alone);
		drainRow("the shared run (from the start of wrk)", shared);
		line("");
	}

	private void writeMemory(List<Long> rss) {
		line("## 7. Memory: peak RSS right after the ceiling runs");
		line("");
		line("| ingest-service | dispatcher-service | admin-api |");
		line("|---|---|---|");
		line("| %d MB | %d MB | %d MB |", rss.get(0) / 1024, rss.get(1) / 1024, rss.get(2) / 1024);
		line("");
	}

	private void bareRow(String when, Wrk.Result result, Wrk.Result faster) {
		line("| bare Spring MVC endpoint (answers 200, nothing else), %s | %.0f | %.2f | %.2f | %d | - | %.0f%% |",
				when, result.requestsPerSecond(), result.p50Ms(), result.p99Ms(), result.errors(),
				100 * result.requestsPerSecond() / faster.requestsPerSecond());
	}

	private void ceilingRow(String name, Wrk.Result result, long accepted, Wrk.Result bare) {
		line("| %s | %.0f | %.2f | %.2f | %d | %d | %.0f%% |", name, result.requestsPerSecond(), result.p50Ms(),
				result.p99Ms(), result.errors(), accepted, 100 * result.requestsPerSecond() / bare.requestsPerSecond());
	}

	private void drainRow(String name, Drain drain) {
		line("| %s | %d | %.1f s | %.0f | %d | %d |", name, drain.expected(), drain.seconds(),
				drain.expected() / drain.seconds(), drain.missing(), drain.copies());
	}

	private Wrk.Result wrk() throws Exception {
		this.stack.partners().reset();
		return Wrk.run(this.stack.ingestBase(), this.stack.ingestPath(), Benchmark.WRK_SECONDS, 64, this.stack.data());
	}

	/**
	 * Waits for every delivery of a ceiling run.
	 * @param started since when the dispatcher could deliver them
	 */
	private Drain drain(long accepted, long started) throws InterruptedException {
		long expected = accepted * Benchmark.PARTNERS;
		long counted = Completion.awaitComplete(Completion.all(this.stack.partners(), this.stack.db()), expected, 240);
		double seconds = (System.nanoTime() - started) / 1e9;
		long missing = Math.max(0, expected - counted);
		this.report.missing(missing > 0);
		return new Drain(expected, seconds, missing, this.stack.partners().copies());
	}

	/**
	 * Ingest's run with the dispatcher paused, then the bare endpoint's second run while
	 * the dispatcher, which delivers the backlog once resumed, is still paused.
	 */
	private Alone alone(BareEndpoint bare) throws Exception {
		this.stack.partners().reset();
		long before = Completion.settle(this.stack.db(), 0);
		long dispatcher = this.stack.relay().servicePids().get(1);
		Processes.signal("STOP", dispatcher);
		Measured run;
		long accepted;
		Measured bareAfter;
		try {
			CpuUse cpu = CpuUse.start(this.stack);
			Wrk.Result result = wrk();
			run = new Measured(result, cpu.summary(result.requests()));
			accepted = Completion.settle(this.stack.db(), before) - before;
			bareAfter = bare.measure();
		}
		finally {
			Processes.signal("CONT", dispatcher);
		}
		return new Alone(run, accepted, bareAfter, System.nanoTime());
	}

	private void line(String format, Object... args) {
		this.report.line(format, args);
	}

	private record Drain(long expected, double seconds, long missing, long copies) {
	}

	/**
	 * Ingest's run with the dispatcher paused: its figures, the postbacks it stored, the
	 * bare endpoint's run right after it, and when the dispatcher was resumed
	 * ({@link System#nanoTime()}).
	 */
	private record Alone(Measured run, long accepted, Measured bareAfter, long resumedNanos) {
	}

	/**
	 * The bare endpoint's runs right before and right after ingest's run with the
	 * dispatcher paused: the machine's speed drifts, and ingest is compared with the
	 * faster of the two.
	 */
	private record Bare(Measured before, Measured after) {

		Wrk.Result faster() {
			Wrk.Result before = this.before.result();
			Wrk.Result after = this.after.result();
			return (after.requestsPerSecond() > before.requestsPerSecond()) ? after : before;
		}

	}

}
