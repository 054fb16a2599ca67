package io.postbackrelay.bench;

import java.util.List;
import java.util.Map;

/**
 * Scenario 1, the ingest ceiling against a bare endpoint, measured with the dispatcher
 * paused and with it delivering; then how fast the dispatcher delivers each backlog; and
 * scenario 7, peak memory.
 */
final class CeilingScenario {

	/** The bare endpoint's JVM does little, and its hot paths compile within seconds. */
	private static final int BARE_WARM_UP_SECONDS = 10;

	private final Stack stack;

	private final Report report;

	/** CPU use during the bare endpoint's measured run, if known. */
	private String bareCpu;

	/** CPU use during ingest's measured run with the dispatcher paused, if known. */
	private String aloneCpu;

	CeilingScenario(Stack stack, Report report) {
		this.stack = stack;
		this.report = report;
	}

	void run() throws Exception {
		Wrk.Result bare = bare();
		this.stack.partners().reset();
		long before = Completion.settle(this.stack.db(), 0);
		long dispatcher = this.stack.relay().servicePids().get(1);
		Processes.signal("STOP", dispatcher);
		Wrk.Result alone;
		long aloneAccepted;
		try {
			CpuUse cpu = CpuUse.start(this.stack);
			alone = wrk();
			this.aloneCpu = cpu.summary();
			aloneAccepted = Completion.settle(this.stack.db(), before) - before;
		}
		finally {
			Processes.signal("CONT", dispatcher);
		}
		List<Long> rss = this.stack.relay().servicePids().stream().map(Processes::peakRssKb).toList();
		Drain aloneDrain = drain(aloneAccepted, System.nanoTime());
		before = Completion.settle(this.stack.db(), 0);
		long sharedStarted = System.nanoTime();
		Wrk.Result shared = wrk();
		long sharedAccepted = Completion.settle(this.stack.db(), before) - before;
		Drain sharedDrain = drain(sharedAccepted, sharedStarted);
		writeCeiling(bare, alone, aloneAccepted, shared, sharedAccepted);
		writeDrains(aloneDrain, sharedDrain);
		writeMemory(rss);
	}

	private void writeCeiling(Wrk.Result bare, Wrk.Result alone, long aloneAccepted, Wrk.Result shared,
			long sharedAccepted) {
		line("## 1. Ingest ceiling (wrk, 64 connections, %d s each, unique click ids; warm-up: the bare endpoint "
				+ "%d s of wrk, the relay %d s of wrk and %d s at the fixed rate, %s)", Benchmark.WRK_SECONDS,
				BARE_WARM_UP_SECONDS, WarmUp.WRK_SECONDS, WarmUp.STEADY_SECONDS, WarmUp.TROUBLES);
		line("");
		line("| endpoint | answers/s | p50 ms | p99 ms | errors | stored | vs bare |");
		line("|---|---|---|---|---|---|---|");
		line("| bare Spring MVC endpoint (answers 200, nothing else) | %.0f | %.2f | %.2f | %d | - | 100%% |",
				bare.requestsPerSecond(), bare.p50Ms(), bare.p99Ms(), bare.errors());
		ceilingRow("ingest, dispatcher paused (as on its own machine)", alone, aloneAccepted, bare);
		ceilingRow("ingest, dispatcher delivering on the same 2 cores", shared, sharedAccepted, bare);
		line("");
		line("Ingest stores and publishes every accepted postback (authenticate, validate, de-duplicate, insert, "
				+ "Kafka acks=all) at **%.0f%%** of the bare endpoint's throughput when it has the machine to itself "
				+ "(goal: at least 50%%).", 100 * alone.requestsPerSecond() / bare.requestsPerSecond());
		line("");
		if (this.bareCpu != null && this.aloneCpu != null) {
			line("The bare endpoint's run: %s", this.bareCpu);
			line("");
			line("Ingest's run with the dispatcher paused: %s", this.aloneCpu);
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

	private Wrk.Result bare() throws Exception {
		int port = Processes.port();
		Process bare = Processes.startJava(this.stack.data(), BareApplication.class, "bare", "--server.port=" + port);
		try {
			Wrk.run("http://127.0.0.1:" + port, "/postback/x", BARE_WARM_UP_SECONDS, 64, this.stack.data());
			CpuUse cpu = CpuUse.start(Map.of("bare endpoint", bare.pid()));
			Wrk.Result result = Wrk.run("http://127.0.0.1:" + port, "/postback/x", Benchmark.WRK_SECONDS, 64,
					this.stack.data());
			this.bareCpu = cpu.summary();
			return result;
		}
		finally {
			Processes.stop(bare);
		}
	}

	private void line(String format, Object... args) {
		this.report.line(format, args);
	}

	private record Drain(long expected, double seconds, long missing, long copies) {
	}

}
