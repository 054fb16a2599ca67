package io.postbackrelay.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads an endpoint with wrk until its speed is steady: a JVM's JIT takes longer than its
 * start suggests, the longer the busier the machine. Under 64 connections, 64 request
 * threads share two cores with the JIT compiler threads: a bare endpoint warmed that way
 * alone answered 3096, 8865, 10606, 14645, 22902, then 38598/s in its runs of 5 s, and
 * after 10 s under 4 connections its first run of 5 s under 64 answered 31646/s and its
 * second 38550/s. So the warm-up starts gently, then runs under 64 connections until two
 * runs in a row agree. The bare endpoint and ingest are warmed alike.
 */
final class SteadyWarmUp {

	/** Length of the gentle start. */
	static final int GENTLE_SECONDS = 10;

	/** Connections of the gentle start. */
	static final int GENTLE_CONNECTIONS = 4;

	/** Length of one run. */
	static final int SECONDS = 5;

	/** Fewest runs after the gentle start. */
	static final int MIN_RUNS = 3;

	/** Most runs. */
	static final int MAX_RUNS = 10;

	/** The endpoint is warm when two successive runs differ by less than this. */
	static final double STEADY = 0.05;

	/** How the warm-up goes, for the report. */
	static final String RULE = ("%d s under %d connections, then runs of %d s, at least %d and then until two in a row "
			+ "differ by less than %.0f%%")
		.formatted(GENTLE_SECONDS, GENTLE_CONNECTIONS, SECONDS, MIN_RUNS, 100 * STEADY);

	private SteadyWarmUp() {
	}

	/**
	 * Runs wrk (unique click ids) gently, then under 64 connections until two successive
	 * runs agree.
	 * @param base the endpoint's scheme, host and port
	 * @param path the path it answers
	 * @param scratch where wrk's script goes
	 * @param afterEach what to do after each run
	 * @return each run's answers per second
	 */
	static List<Double> run(String base, String path, Path scratch, Runnable afterEach) throws Exception {
		Wrk.run(base, path, GENTLE_SECONDS, GENTLE_CONNECTIONS, scratch);
		afterEach.run();
		List<Double> rates = new ArrayList<>();
		while (rates.size() < MIN_RUNS || (rates.size() < MAX_RUNS && !steady(rates))) {
			rates.add(Wrk.run(base, path, SECONDS, 64, scratch).requestsPerSecond());
			afterEach.run();
		}
		return rates;
	}

	/**
	 * Whether the last two runs of a warm-up agreed.
	 * @param rates each run's answers per second
	 * @return whether the last two differ by less than {@link #STEADY}
	 */
	static boolean steady(List<Double> rates) {
		if (rates.size() < 2) {
			return false;
		}
		double last = rates.get(rates.size() - 1);
		double before = rates.get(rates.size() - 2);
		return Math.abs(last - before) < STEADY * Math.max(last, before);
	}

	/**
	 * A warm-up's runs for the report.
	 * @param rates each run's answers per second
	 * @return the rates, and whether they were steady at the end
	 */
	static String describe(List<Double> rates) {
		return String.join(", ", rates.stream().map((rate) -> String.format("%.0f", rate)).toList())
				+ (steady(rates) ? "" : " (not steady after " + rates.size() + " runs)");
	}

}
