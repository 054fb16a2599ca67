package io.postbackrelay.bench;

import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.postbackrelay.local.LocalRelay;
import io.postbackrelay.local.LocalSettings;
import org.bson.Document;

/**
 * Runs the benchmark scenarios against the local stack (Kafka broker process, embedded
 * store, the three services as processes) and writes docs/performance.md. Every figure is
 * measured in this one run on this machine; compare ratios, not absolutes.
 */
public final class Benchmark {

	private static final int PARTNERS = 4;

	/**
	 * Below the goal's 500/s: on 2 shared cores the dispatcher does not keep up with more
	 * yet.
	 */
	private static final int RATE = 50;

	private static final int SECONDS = 20;

	private final List<String> report = new ArrayList<>();

	private boolean incomplete;

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "docs/performance.md");
		Benchmark benchmark = new Benchmark();
		benchmark.run(output);
		// a missing delivery fails the run; exit also ends the load generator's threads
		System.exit(benchmark.incomplete ? 1 : 0);
	}

	private void run(Path output) throws Exception {
		Path data = Files.createTempDirectory("relay-bench");
		LocalSettings settings = new LocalSettings(data, port(), port(), null, port(), port(), port(), port(),
				List.of("--relay.dispatcher.retry.backoff=1s,2s", "--relay.dispatcher.retry.jitter=0"), true);
		PrintStream quiet = new PrintStream(Files.newOutputStream(data.resolve("launcher.log")), true);
		try (LocalRelay relay = new LocalRelay(settings, quiet).start();
				PartnerSimulator partners = new PartnerSimulator();
				MongoClient client = MongoClients.create(settings.effectiveMongoUri())) {
			MongoDatabase db = client.getDatabase("postback_relay");
			db.getCollection("partners").updateMany(new Document(), Updates.set("active", false));
			for (int i = 0; i < PARTNERS; i++) {
				db.getCollection("partners")
					.insertOne(new Document("_id", "bench-p" + i).append("name", "p" + i)
						.append("postbackUrl", partners.url("p" + i))
						.append("method", "GET")
						.append("active", true)
						.append("timeoutMs", 1000));
				partners.behave("p" + i, new PartnerSimulator.Behaviour(2, 200, false));
			}
			Thread.sleep(3000);
			String ingest = "http://127.0.0.1:" + settings.ingestPort() + "/postback/" + relay.sourceKey();
			header();
			ceiling(settings, relay, partners, db, data);
			Delays normal = steady("2. End-to-end delay", ingest, partners, db, List.of());
			partners.behave("p3", new PartnerSimulator.Behaviour(0, 200, true));
			Delays isolated = steady("3. One of 4 partners never answers", ingest, partners, db, List.of("p3"));
			line("");
			line("Isolation, healthy partners with one hanging against none: throughput %.0f%%, p99 %.2fx.",
					100.0 * isolated.perSecond() / normal.perSecond(), isolated.p99() / normal.p99());
		}
		Files.writeString(output, String.join("\n", this.report) + "\n");
	}

	private void header() {
		line("# Performance");
		line("");
		line("Written by `./relay-bench` on %s: %d cores, %s, %s. Kafka broker, embedded store (H2 on disk) and",
				Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors(),
				System.getProperty("os.name") + " " + System.getProperty("os.arch"),
				"Java " + System.getProperty("java.version"));
		line("the three services run as processes on this one machine (`-Xmx384m` each), with the load");
		line("generator and the partner simulator. Every figure is from this one run: compare ratios.");
		line("");
	}

	private void ceiling(LocalSettings settings, LocalRelay relay, PartnerSimulator partners, MongoDatabase db,
			Path data) throws Exception {
		partners.reset();
		long before = db.getCollection("received_postbacks").countDocuments();
		Wrk.Result ingest = Wrk.run("http://127.0.0.1:" + settings.ingestPort(), "/postback/" + relay.sourceKey(), 15,
				64, data);
		List<Long> rss = relay.servicePids().stream().map(Benchmark::peakRssKb).toList();
		long accepted = db.getCollection("received_postbacks").countDocuments() - before;
		long drainStart = System.nanoTime();
		long counted = awaitComplete(partners, db, accepted * PARTNERS, 240);
		boolean complete = counted >= accepted * PARTNERS;
		this.incomplete |= !complete;
		double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
		long deadLetters = deadLetters(db);
		Process bare = startBare(data);
		Wrk.Result bareResult;
		try {
			bareResult = Wrk.run("http://127.0.0.1:" + this.barePort, "/postback/x", 15, 64, data);
		}
		finally {
			bare.destroy();
			bare.waitFor(30, TimeUnit.SECONDS);
		}
		line("## 1. Ingest ceiling (wrk, 64 connections, 15 s, unique click ids)");
		line("");
		line("| endpoint | answers/s | p50 ms | p99 ms | errors |");
		line("|---|---|---|---|---|");
		line("| bare Spring MVC endpoint | %.0f | %.2f | %.2f | %d |", bareResult.requestsPerSecond(),
				bareResult.p50Ms(), bareResult.p99Ms(), bareResult.errors());
		line("| ingest (authenticate, validate, store, publish) | %.0f | %.2f | %.2f | %d |",
				ingest.requestsPerSecond(), ingest.p50Ms(), ingest.p99Ms(), ingest.errors());
		line("");
		line("Ingest reaches **%.0f%%** of the bare endpoint's throughput (goal: at least 50%%).",
				100 * ingest.requestsPerSecond() / bareResult.requestsPerSecond());
		line("Completeness: %d accepted x %d partners = %d deliveries; %d arrived (%s), %d copies; drained in %.1f s.",
				accepted, PARTNERS, accepted * PARTNERS, partners.arrivals().size(),
				complete ? "none missing" : "MISSING", partners.copies(), drainSeconds);
		line("");
		line("## 7. Memory: peak RSS right after scenario 1");
		line("");
		line("| ingest-service | dispatcher-service | admin-api |");
		line("|---|---|---|");
		line("| %d MB | %d MB | %d MB |", rss.get(0) / 1024, rss.get(1) / 1024, rss.get(2) / 1024);
		line("");
	}

	private Delays steady(String title, String ingest, PartnerSimulator partners, MongoDatabase db,
			List<String> hanging) throws Exception {
		partners.reset();
		OpenLoad load = new OpenLoad();
		long started = System.nanoTime();
		load.run(ingest, RATE, SECONDS, "s" + System.nanoTime());
		long expected = (long) load.acceptedAt.size() * PARTNERS;
		long counted = awaitComplete(partners, db, expected, 180);
		long lastArrival = partners.arrivals()
			.values()
			.stream()
			.mapToLong(PartnerSimulator.Arrival::nanoTime)
			.max()
			.orElse(started);
		double elapsed = Math.max(1e-9, (lastArrival - started) / 1e9);
		List<Double> delays = new ArrayList<>();
		partners.arrivals().values().forEach((arrival) -> {
			Long accepted = load.acceptedAt.get(arrival.postbackId());
			if (accepted != null && !hanging.contains(arrival.partner())) {
				delays.add((arrival.nanoTime() - accepted) / 1e6);
			}
		});
		Collections.sort(delays);
		long deadLetters = deadLetters(db);
		Delays result = new Delays(percentile(delays, 0.5), percentile(delays, 0.99), percentile(delays, 1.0),
				delays.size() / elapsed);
		line("## %s (%d postbacks/s for %d s, %d partners, open model)", title, RATE, SECONDS, PARTNERS);
		line("");
		line("| accepted | ingest failures | deliveries to healthy partners | delay p50 ms | p99 ms | max ms | deliveries/s |");
		line("|---|---|---|---|---|---|---|");
		line("| %d | %d | %d | %.1f | %.1f | %.1f | %.0f |", load.acceptedAt.size(), load.failures.get(), delays.size(),
				result.p50(), result.p99(), result.max(), result.perSecond());
		this.incomplete |= counted < expected;
		line("");
		line("Completeness: %d accepted x %d partners = %d; %d delivered + %d dead letters = %d (%s), %d copies.",
				load.acceptedAt.size(), PARTNERS, expected, partners.arrivals().size(), deadLetters, counted,
				(counted >= expected) ? "none missing" : "MISSING " + (expected - counted), partners.copies());
		line("");
		db.getCollection("dead_letters").deleteMany(Filters.eq("status", "OPEN"));
		return result;
	}

	/**
	 * Waits until every expected delivery arrived or became a dead letter.
	 * @return deliveries arrived plus dead letters when done or out of time
	 */
	private static long awaitComplete(PartnerSimulator partners, MongoDatabase db, long expected, int seconds)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long counted = 0;
		while (System.nanoTime() < deadline) {
			counted = partners.arrivals().size() + deadLetters(db);
			if (counted >= expected) {
				break;
			}
			Thread.sleep(500);
		}
		return counted;
	}

	private static long deadLetters(MongoDatabase db) {
		return db.getCollection("dead_letters").countDocuments(Filters.eq("status", "OPEN"));
	}

	private int barePort;

	private Process startBare(Path data) throws Exception {
		this.barePort = port();
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				BareApplication.class.getName(), "--server.port=" + this.barePort)
			.redirectErrorStream(true)
			.redirectOutput(data.resolve("bare.log").toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.barePort)) {
				return process;
			}
			catch (java.io.IOException notYet) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("bare endpoint did not start, see " + data.resolve("bare.log"));
	}

	private static long peakRssKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (java.io.IOException ex) {
			return -1;
		}
		return -1;
	}

	private static double percentile(List<Double> sorted, double p) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(p * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	private static int port() throws java.io.IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void line(String format, Object... args) {
		this.report.add(String.format(Locale.ROOT, format, args));
	}

	private record Delays(double p50, double p99, double max, double perSecond) {
	}

}
