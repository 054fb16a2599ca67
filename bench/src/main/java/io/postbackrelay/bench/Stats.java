package io.postbackrelay.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Percentiles and delivery delays of one scenario.
 */
final class Stats {

	/** The first seconds of a scenario, left out of {@link Delays#p99AfterOnset()}. */
	static final int ONSET_SECONDS = 2;

	private static final long ONSET_NANOS = ONSET_SECONDS * 1_000_000_000L;

	private Stats() {
	}

	static Delays delays(PartnerSimulator partners, OpenLoad load, long started, Predicate<String> counted) {
		List<Double> delays = new ArrayList<>();
		List<Double> afterOnset = new ArrayList<>();
		long last = started;
		for (PartnerSimulator.Arrival arrival : partners.arrivals().values()) {
			Long accepted = load.acceptedAt.get(arrival.postbackId());
			if (accepted != null && counted.test(arrival.partner())) {
				double delay = (arrival.nanoTime() - accepted) / 1e6;
				delays.add(delay);
				if (accepted - started >= ONSET_NANOS) {
					afterOnset.add(delay);
				}
				last = Math.max(last, arrival.nanoTime());
			}
		}
		Collections.sort(delays);
		double elapsed = Math.max(1e-9, (last - started) / 1e9);
		return new Delays(delays.size(), percentile(delays, 0.5), percentile(delays, 0.99), percentile(delays, 1.0),
				delays.size() / elapsed, percentile(sorted(afterOnset), 0.99));
	}

	/**
	 * Writes each delivery as {@code partner,accepted ms,delay ms} (from the start of the
	 * scenario) for a closer look at how delays develop over a run.
	 */
	static void trace(PartnerSimulator partners, OpenLoad load, long started, java.nio.file.Path file)
			throws java.io.IOException {
		List<String> lines = new ArrayList<>();
		for (PartnerSimulator.Arrival arrival : partners.arrivals().values()) {
			Long accepted = load.acceptedAt.get(arrival.postbackId());
			if (accepted != null) {
				lines.add(arrival.partner() + "," + (accepted - started) / 1_000_000 + ","
						+ (arrival.nanoTime() - accepted) / 1_000_000);
			}
		}
		java.nio.file.Files.write(file, lines);
	}

	static List<Double> sorted(Collection<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted;
	}

	static double percentile(List<Double> sorted, double p) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(p * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	/**
	 * Delivery delays of one scenario.
	 *
	 * @param count deliveries counted
	 * @param p50 median delay in ms
	 * @param p99 99th percentile in ms
	 * @param max longest in ms
	 * @param perSecond deliveries per second
	 * @param p99AfterOnset 99th percentile in ms of the postbacks accepted after the
	 * scenario's first {@link #ONSET_SECONDS} seconds (in the hanging-partner scenario,
	 * its onset)
	 */
	record Delays(long count, double p50, double p99, double max, double perSecond, double p99AfterOnset) {
	}

}
