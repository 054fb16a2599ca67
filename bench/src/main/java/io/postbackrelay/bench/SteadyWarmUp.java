package io.postbackrelay.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Loads an endpoint with wrk until its speed is steady: a JVM's JIT takes longer than its
 * start suggests, the longer the busier the machine. Under 64 connections, 64 request
 * threads share two cores with the JIT compiler threads: a bare endpoint warmed that way
 * alone answered 3096, 8865, 10606, 14645, 22902, then 38598/s in its runs of 5 s, and
 * after 10 s under 4 connections its first run of 5 s under 64 answered 31646/s and its
 * second 38550/s. So the warm-up starts gently, then runs under 64 connections until two
 * runs in a row are no faster than the best before them. (Until two runs in a row
 * agreeing within 5% was the rule, ingest once stopped at 3866 and 4047/s, still
 * compiling, where it usually climbs past 8000.) The bare endpoint and ingest are warmed
 * alike.
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

	/**
	 * The endpoint is warm when two runs in a row beat the best before them by less than
	 * this.
	 */
	static final double STEADY = 0.02;

	/** How the warm-up goes, for the report. */
	static final String RULE = ("%d s under %d connections, then runs of %d s, at least %d and then until two in a row "
			+ "are no more than %.0f%% faster than the best before them")
		.formatted(GENTLE_SECONDS, GENTLE_CONNECTIONS, SECONDS, MIN_RUNS, 100 * STEADY);

	private SteadyWarmUp() {
	}

	/**
	 * Runs wrk (unique click ids) gently, then under 64 connections until the runs stop
	 * getting faster.
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
	 * Whether a warm-up stopped getting faster: two runs that agree can still be a climb,
	 * and one slow run can be a pause.
	 * @param rates each run's answers per second
	 * @return whether neither of the last two beat the best before them by
	 * {@link #STEADY}
	 */
	static boolean steady(List<Double> rates) {
		if (rates.size() < 3) {
			return false;
		}
		double best = Collections.max(rates.subList(0, rates.size() - 2)) * (1 + STEADY);
		return rates.get(rates.size() - 2) < best && rates.get(rates.size() - 1) < best;
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
