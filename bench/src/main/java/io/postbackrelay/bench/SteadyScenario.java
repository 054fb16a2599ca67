package io.postbackrelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenarios 2 and 3: postbacks at a fixed rate (open model) to the 4 partners, some of
 * them failing as the caller set the simulator up; reports ingest's answer times, the
 * delay to each partner and completeness.
 */
final class SteadyScenario {

	private final Stack stack;

	private final Report report;

	private final int rate;

	SteadyScenario(Stack stack, Report report, int rate) {
		this.stack = stack;
		this.report = report;
		this.rate = rate;
	}

	/**
	 * Runs the load and writes the scenario's section.
	 * @param title the section's title
	 * @param failing the partners set up to fail, left out of the delays
	 * @return the delays of the partners that are healthy in every scenario
	 */
	Stats.Delays run(String title, List<String> failing) throws Exception {
		Stack stack = this.stack;
		stack.withoutEarlierRecords();
		stack.partners().reset();
		// read before the clocks start: the deliveries per second count from them
		long handedOnBefore = stack.handedOnInFlight();
		OpenLoad load = new OpenLoad();
		long startedAtMillis = System.currentTimeMillis();
		long started = System.nanoTime();
		CpuUse cpu = CpuUse.start(stack);
		load.run(stack.ingestUrl(), this.rate, Benchmark.SECONDS, "s" + System.nanoTime());
		long loadEnded = System.nanoTime();
		String cpuUse = cpu.summary();
		long expected = (long) load.acceptedAt.size() * Benchmark.PARTNERS;
		Completion.Tally tally = Completion.of(stack.partners(), stack.db(), load.acceptedAt.keySet());
		Double completedAfter = (Completion.awaitComplete(tally, expected, 180) >= expected)
				? (System.nanoTime() - loadEnded) / 1e9 : null;
		Stats.Delays all = Stats.delays(stack.partners(), load, started, (partner) -> !failing.contains(partner));
		Stats.Delays core = Stats.delays(stack.partners(), load, started, Benchmark.ALWAYS_HEALTHY::contains);
		writeSummary(title, load, all);
		line("Delay: from ingest's answer to the partner receiving the postback. Per partner, p50 / p99 ms: %s.",
				perPartner(stack, load, started, failing));
		line("");
		if (cpuUse != null) {
			line("%s", cpuUse);
			line("");
		}
		DelayStages stages = DelayStages.of(stack, load, startedAtMillis, (partner) -> !failing.contains(partner));
		stages.write(this.report);
		writeTraces(title.charAt(0), load, started, stages);
		writeCompleteness(load, expected, tally, completedAfter, handedOnBefore);
		return core;
	}

	/**
	 * Completeness, when the last delivery came, and the attempts handed on while their
	 * call was in flight.
	 * @param completedAfter seconds from the load's end until every delivery was in, or
	 * {@code null} if some never came
	 * @param handedOnBefore the dispatcher's count of those attempts before the load
	 */
	private void writeCompleteness(OpenLoad load, long expected, Completion.Tally tally, Double completedAfter,
			long handedOnBefore) throws Exception {
		Completion.write(this.report, this.stack, load.acceptedAt.size(), expected, tally);
		if (completedAfter != null) {
			line("Every one of them was in %.1f s after the load ended.", completedAfter);
			line("");
		}
		line("Attempts handed on to the next retry topic while their call was still in flight (the partner's hold "
				+ "ran out, or the partner had stalled): %d.", this.stack.handedOnInFlight() - handedOnBefore);
		line("");
	}

	/**
	 * The section's title and its table of answers and delays.
	 */
	private void writeSummary(String title, OpenLoad load, Stats.Delays all) {
		List<Double> answers = Stats.sorted(load.responseMillis);
		line("## %s (%d postbacks/s for %d s, open model)", title, this.rate, Benchmark.SECONDS);
		line("");
		line("| accepted | ingest failures | ingest answer p50 ms | p99 ms | deliveries to healthy partners | "
				+ "delay p50 ms | p99 ms | max ms | deliveries/s |");
		line("|---|---|---|---|---|---|---|---|---|");
		line("| %d | %d | %.1f | %.1f | %d | %.1f | %.1f | %.1f | %.0f |", load.acceptedAt.size(), load.failures.get(),
				Stats.percentile(answers, 0.5), Stats.percentile(answers, 0.99), all.count(), all.p50(), all.p99(),
				all.max(), all.perSecond());
		line("");
	}

	/**
	 * With {@code BENCH_TRACE} set, one CSV per scenario of each delivery's partner,
	 * acceptance and delay (ms), and one of each counted first attempt's stages.
	 */
	private void writeTraces(char scenario, OpenLoad load, long started, DelayStages stages) throws IOException {
		String trace = System.getenv("BENCH_TRACE");
		if (trace != null && !trace.isBlank()) {
			Stats.trace(this.stack.partners(), load, started, Path.of(trace + "-" + scenario + ".csv"));
			stages.trace(Path.of(trace + "-" + scenario + "-stages.csv"));
		}
	}

	private static String perPartner(Stack stack, OpenLoad load, long started, List<String> failing) {
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < Benchmark.PARTNERS; i++) {
			String partner = "p" + i;
			if (!failing.contains(partner)) {
				Stats.Delays delays = Stats.delays(stack.partners(), load, started, partner::equals);
				parts.add(String.format(Locale.ROOT, "%s %.0f / %.0f", partner, delays.p50(), delays.p99()));
			}
		}
		return String.join(", ", parts);
	}

	private void line(String format, Object... args) {
		this.report.line(format, args);
	}

}
