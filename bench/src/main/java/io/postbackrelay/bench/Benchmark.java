package io.postbackrelay.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.postbackrelay.local.LocalRelay;
import io.postbackrelay.local.LocalSettings;

/**
 * Runs the benchmark scenarios against the local stack (Kafka broker process, embedded
 * store, the three services as processes) and writes docs/performance.md. Every figure is
 * measured in this one run on this machine; compare ratios, not absolutes.
 */
public final class Benchmark {

	static final int PARTNERS = 4;

	/** The partners that stay healthy in every scenario: ratios compare these. */
	static final List<String> ALWAYS_HEALTHY = List.of("p0", "p1", "p2");

	/** The partner that hangs in scenario 3 and fails in scenario 4. */
	static final String TROUBLED = "p3";

	static final int SECONDS = 20;

	/** Every partner's timeout, the relay's and the naive design's. */
	static final int PARTNER_TIMEOUT_MS = 2000;

	static final int WRK_SECONDS = 6;

	/** The source ingest is warmed up with: no partner takes its postbacks. */
	static final String WARM_UP_SOURCE = "bench-warm-up";

	/**
	 * Retries long enough to outlast scenario 4's outage (68 s in all), short enough for
	 * scenario 3's dead partner to end in dead letters within the run.
	 */
	private static final String RETRIES = "1s,2s,5s,10s,20s,30s";

	private final int rate;

	private final Path data;

	private final LocalSettings settings;

	private final Report report;

	private double probedAtStart;

	/** The scenarios to run (1, 2, 3, 4, 6); 5 and 7 are part of the others. */
	private final Set<String> scenarios;

	private Benchmark(int rate, Set<String> scenarios, Path output) throws java.io.IOException {
		this.rate = rate;
		this.scenarios = scenarios;
		this.data = Files.createTempDirectory("relay-bench");
		this.settings = LocalSettings.onFreePorts(this.data, System.getenv("RELAY_MONGODB_URI"),
				List.of("--relay.dispatcher.retry.backoff=" + RETRIES, "--relay.dispatcher.retry.jitter=0"), true);
		this.report = new Report(output);
	}

	public static void main(String[] args) throws Exception {
		Wrk.requireInstalled();
		Path output = Path.of((args.length > 0) ? args[0] : "docs/performance.md");
		String rate = System.getenv("BENCH_RATE");
		String only = System.getenv("BENCH_SCENARIOS");
		Set<String> scenarios = Set.of("1", "2", "3", "4", "6");
		if (only != null && !only.isBlank()) {
			// a partial run never replaces the full report
			scenarios = Set.of(only.strip().split("\\s*,\\s*"));
			output = output.resolveSibling("performance-partial.md");
		}
		Benchmark benchmark = new Benchmark((rate != null && !rate.isBlank()) ? Integer.parseInt(rate.strip()) : 100,
				scenarios, output);
		benchmark.run();
		// a missing delivery fails the run; exit also ends the load generator's threads
		System.exit(benchmark.report.incomplete() ? 1 : 0);
	}

	static PartnerSimulator.Behaviour healthy() {
		return new PartnerSimulator.Behaviour(2, 200, false);
	}

	private void run() throws Exception {
		PrintStream quiet = new PrintStream(Files.newOutputStream(this.data.resolve("launcher.log")), true);
		long started = System.nanoTime();
		try (LocalRelay relay = new LocalRelay(this.settings, quiet).start();
				PartnerSimulator partners = new PartnerSimulator();
				MongoClient client = MongoClients.create(this.settings.effectiveMongoUri())) {
			Stack stack = new Stack(relay, this.settings, partners, client.getDatabase(this.settings.database()),
					this.data, "pk_bench-warm-up-" + System.nanoTime());
			stack.addPartners();
			header();
			this.report.progress("warm-up");
			List<Double> ingestWarmUp = WarmUp.run(stack, this.rate);
			if (this.scenarios.contains("1")) {
				this.report.progress("1. ceiling");
				new CeilingScenario(stack, this.report).run(ingestWarmUp);
			}
			Stats.Delays normal = null;
			if (this.scenarios.contains("2")) {
				this.report.progress("2. end-to-end");
				normal = new SteadyScenario(stack, this.report, this.rate)
					.run("2. End-to-end delay, 4 healthy partners", List.of());
			}
			if (this.scenarios.contains("3")) {
				hanging(stack, normal);
			}
			if (this.scenarios.contains("4")) {
				this.report.progress("4. outage");
				new OutageScenario(stack, this.report, this.rate).run();
			}
			if (this.scenarios.contains("6")) {
				this.report.progress("6. naive design");
				new NaiveScenario(stack, this.report, this.rate).run(normal);
			}
		}
		line("Whole run: %.1f minutes. Speed probe at the end: %.0f ms (at the start: %.0f ms).",
				(System.nanoTime() - started) / 60e9, SpeedProbe.millis(), this.probedAtStart);
		this.report.progress("done");
	}

	private void hanging(Stack stack, Stats.Delays normal) throws Exception {
		stack.partners().behave(TROUBLED, PartnerSimulator.Behaviour.hanging());
		this.report.progress("3. hanging partner");
		Stats.Delays isolated = new SteadyScenario(stack, this.report, this.rate)
			.run("3. One of 4 partners never answers", List.of(TROUBLED));
		if (normal != null) {
			line("Isolation: partners p0-p2 with %s hanging against all healthy: throughput **%.0f%%** "
					+ "(goal >= 95%%), p99 **%.2fx** (goal <= 1.5x).", TROUBLED,
					100.0 * isolated.perSecond() / normal.perSecond(), isolated.p99() / normal.p99());
			line("");
			line("The same p99 of the postbacks accepted after each scenario's first %d s (the hang's onset "
					+ "here): %.1f against %.1f ms, %.2fx.", Stats.ONSET_SECONDS, isolated.p99AfterOnset(),
					normal.p99AfterOnset(), isolated.p99AfterOnset() / normal.p99AfterOnset());
			line("");
		}
		stack.partners().behave(TROUBLED, healthy());
	}

	private void header() {
		line("# Performance");
		line("");
		line("Written by `./relay-bench` on %s: %d cores, %s, Java %s. A Kafka broker process (1 GB heap, G1 with a 20 ms",
				Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors(),
				System.getProperty("os.name") + " " + System.getProperty("os.arch"),
				System.getProperty("java.version"));
		line("pause goal, as Kafka's start scripts set), %s,",
				(this.settings.mongoUri() != null) ? "MongoDB from RELAY_MONGODB_URI"
						: "the embedded MongoDB-protocol store (mongo-java-server, in memory)");
		line("the three services as processes (`-Xmx384m`, serial GC, each), the partner simulator (4 partners, each");
		line("an HTTP server of its own, answering in 2 ms, timeout %d s) and the load generators all share this one",
				PARTNER_TIMEOUT_MS / 1000);
		line("machine (the simulator, the load generators and the embedded store in one JVM, G1 with a 20 ms pause");
		line("goal, a 1 GB young generation and objects promoted once they survive a collection). Dispatcher");
		line("retries `%s`. The embedded store ignores secondary", RETRIES);
		line("indexes (ingest's republisher scans every stored postback, twice every 5 s) and the harness's heap");
		line("holds every document, so scenarios 2-4 each start without the attempt logs and published postbacks");
		line("older than 10 s. Every figure");
		line("is from this one run: compare ratios, not absolutes.");
		line("");
		this.probedAtStart = SpeedProbe.millis();
		line("Speed probe (SHA-256 of 64 MB on one thread, best of 5, the stack idle): %.0f ms at the start, %s",
				this.probedAtStart,
				"and again at the end: on a shared machine the same code can run at very different speeds from one run to the next.");
		line("");
	}

	private void line(String format, Object... args) {
		this.report.line(format, args);
	}

}
