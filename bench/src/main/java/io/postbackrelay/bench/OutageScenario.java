package io.postbackrelay.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 4: one partner answers 503 for a minute, then recovers; every delivery must
 * still arrive, and the drain time after the recovery is reported.
 */
final class OutageScenario {

	private static final int OUTAGE_SECONDS = 60;

	private final Stack stack;

	private final Report report;

	private final int rate;

	OutageScenario(Stack stack, Report report, int rate) {
		this.stack = stack;
		this.report = report;
		this.rate = rate;
	}

	void run() throws Exception {
		this.stack.withoutEarlierRecords();
		PartnerSimulator partners = this.stack.partners();
		partners.reset();
		partners.behave(Benchmark.TROUBLED, new PartnerSimulator.Behaviour(0, 503, false));
		long outageStarted = System.nanoTime();
		OpenLoad load = new OpenLoad();
		load.run(this.stack.ingestUrl(), this.rate, Benchmark.SECONDS, "o" + System.nanoTime());
		long callsDuringOutage;
		try {
			Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(OUTAGE_SECONDS)
					- TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStarted)));
		}
		finally {
			callsDuringOutage = partners.calls(Benchmark.TROUBLED);
			partners.behave(Benchmark.TROUBLED, Benchmark.healthy());
		}
		long recovered = System.nanoTime();
		long expected = (long) load.acceptedAt.size() * Benchmark.PARTNERS;
		Completion.Tally tally = Completion.of(partners, this.stack.db(), load.acceptedAt.keySet());
		Completion.awaitComplete(tally, expected, 180);
		List<Long> troubledArrivals = partners.arrivals()
			.values()
			.stream()
			.filter((arrival) -> arrival.partner().equals(Benchmark.TROUBLED)
					&& load.acceptedAt.containsKey(arrival.postbackId()))
			.map(PartnerSimulator.Arrival::nanoTime)
			.toList();
		long lastArrival = troubledArrivals.stream().mapToLong(Long::longValue).max().orElse(recovered);
		Stats.Delays healthy = Stats.delays(partners, load, outageStarted, Benchmark.ALWAYS_HEALTHY::contains);
		write(load.acceptedAt.size(), callsDuringOutage, troubledArrivals.size(),
				Math.max(0, lastArrival - recovered) / 1e9, healthy);
		Completion.write(this.report, this.stack, load.acceptedAt.size(), expected, tally);
	}

	private void write(int accepted, long callsDuringOutage, int troubledArrivals, double drainSeconds,
			Stats.Delays healthy) {
		this.report.line("## 4. Outage and recovery: %s answers 503 for %d s, then recovers (%d postbacks/s for %d s)",
				Benchmark.TROUBLED, OUTAGE_SECONDS, this.rate, Benchmark.SECONDS);
		this.report.line("");
		this.report.line("| accepted | calls to %s during the outage | delivered to %s after it | drained in | "
				+ "healthy partners' delay p99 ms |", Benchmark.TROUBLED, Benchmark.TROUBLED);
		this.report.line("|---|---|---|---|---|");
		this.report.line("| %d | %d | %d of %d | %.1f s after recovery | %.1f |", accepted, callsDuringOutage,
				troubledArrivals, accepted, drainSeconds, healthy.p99());
		this.report.line("");
		this.report.line("During the outage the circuit breaker sends most retries back to the retry topics "
				+ "without a call; half-open probes find the recovery.");
	}

}
