package io.postbackrelay.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bare endpoint ingest is compared with ({@link BareApplication}), run as a process
 * of its own: warmed until its speed is steady, then measured as often as the ceiling
 * needs.
 */
final class BareEndpoint implements AutoCloseable {

	/** Length of one run of the warm-up. */
	static final int WARM_UP_SECONDS = 5;

	/** Fewest runs of the warm-up: the endpoint's speed plateaus on the way up. */
	static final int WARM_UP_MIN_RUNS = 6;

	/** Most runs of the warm-up. */
	static final int WARM_UP_RUNS = 10;

	/** The endpoint is warm when two successive runs differ by less than this. */
	static final double STEADY = 0.05;

	private static final String PATH = "/postback/x";

	private final Process process;

	private final String url;

	private final Path scratch;

	private BareEndpoint(Process process, String url, Path scratch) {
		this.process = process;
		this.url = url;
		this.scratch = scratch;
	}

	/**
	 * Starts the endpoint's process.
	 * @param scratch where its log and wrk's script go
	 * @return the endpoint
	 */
	static BareEndpoint start(Path scratch) throws Exception {
		int port = Processes.port();
		Process process = Processes.startJava(scratch, BareApplication.class, "bare", "--server.port=" + port);
		return new BareEndpoint(process, "http://127.0.0.1:" + port, scratch);
	}

	/**
	 * Loads the endpoint until two successive runs agree: its JIT takes longer than its
	 * start suggests. In one run, six warm-up runs of 5 s answered 2810 rising to
	 * 18484/s, and the measured runs after them 33107 and 34233/s. Its speed plateaus on
	 * the way up (in another run 10082, then 10392/s, later 31414/s), so a few runs are
	 * made before agreement counts.
	 * @return each run's answers per second
	 */
	List<Double> warmUp() throws Exception {
		List<Double> rates = new ArrayList<>();
		while (rates.size() < WARM_UP_MIN_RUNS || (rates.size() < WARM_UP_RUNS && !steady(rates))) {
			rates.add(Wrk.run(this.url, PATH, WARM_UP_SECONDS, 64, this.scratch).requestsPerSecond());
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
	 * One measured run.
	 * @return its figures and CPU line
	 */
	Measured measure() throws Exception {
		CpuUse cpu = CpuUse.start(Map.of("bare endpoint", this.process.pid()));
		Wrk.Result result = Wrk.run(this.url, PATH, Benchmark.WRK_SECONDS, 64, this.scratch);
		return new Measured(result, cpu.summary(result.requests()));
	}

	@Override
	public void close() throws InterruptedException {
		Processes.stop(this.process);
	}

}
