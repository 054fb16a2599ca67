package io.postbackrelay.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The bare endpoint ingest is compared with ({@link BareApplication}), run as a process
 * of its own: warmed until its speed is steady, then measured as often as the ceiling
 * needs.
 */
final class BareEndpoint implements AutoCloseable {

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
	 * Loads the endpoint until its speed is steady.
	 * @return each run's answers per second
	 */
	List<Double> warmUp() throws Exception {
		return SteadyWarmUp.run(this.url, PATH, this.scratch, () -> {
		});
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
