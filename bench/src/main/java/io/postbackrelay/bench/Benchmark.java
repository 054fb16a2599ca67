package io.postbackrelay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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

	/** The partners that stay healthy in every scenario: ratios compare these. */
	private static final List<String> ALWAYS_HEALTHY = List.of("p0", "p1", "p2");

	/** The partner that hangs in scenario 3 and fails in scenario 4. */
	private static final String TROUBLED = "p3";

	private static final int SECONDS = 20;

	/** Every partner's timeout, the relay's and the naive design's. */
	private static final int PARTNER_TIMEOUT_MS = 2000;

	private static final int WRK_SECONDS = 8;

	/** Long enough for the JIT to compile the hot paths of all three services. */
	private static final int WARM_UP_SECONDS = 15;

	private static final int OUTAGE_SECONDS = 60;

	/**
	 * Retries long enough to outlast scenario 4's outage (68 s in all), short enough for
	 * scenario 3's dead partner to end in dead letters within the run.
	 */
	private static final String RETRIES = "1s,2s,5s,10s,20s,30s";

	private final List<String> report = new ArrayList<>();

	private final int rate;

	private final Path data;

	private final LocalSettings settings;

	private boolean incomplete;

	private Benchmark(int rate) throws IOException {
		this.rate = rate;
		this.data = Files.createTempDirectory("relay-bench");
		this.settings = LocalSettings.onFreePorts(this.data, System.getenv("RELAY_MONGODB_URI"),
				List.of("--relay.dispatcher.retry.backoff=" + RETRIES, "--relay.dispatcher.retry.jitter=0"), true);
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "docs/performance.md");
		String rate = System.getenv("BENCH_RATE");
		Benchmark benchmark = new Benchmark((rate != null && !rate.isBlank()) ? Integer.parseInt(rate.strip()) : 100);
		benchmark.run(output);
		// a missing delivery fails the run; exit also ends the load generator's threads
		System.exit(benchmark.incomplete ? 1 : 0);
	}

	private Path output;

	private void run(Path output) throws Exception {
		this.output = output;
		PrintStream quiet = new PrintStream(Files.newOutputStream(this.data.resolve("launcher.log")), true);
		long started = System.nanoTime();
		try (LocalRelay relay = new LocalRelay(this.settings, quiet).start();
				PartnerSimulator partners = new PartnerSimulator();
				MongoClient client = MongoClients.create(this.settings.effectiveMongoUri())) {
			MongoDatabase db = client.getDatabase("postback_relay");
			db.getCollection("partners").updateMany(new Document(), Updates.set("active", false));
			for (int i = 0; i < PARTNERS; i++) {
				db.getCollection("partners")
					.insertOne(new Document("_id", "bench-p" + i).append("name", "p" + i)
						.append("postbackUrl", partners.url("p" + i))
						.append("method", "GET")
						.append("active", true)
						.append("timeoutMs", PARTNER_TIMEOUT_MS));
				partners.behave("p" + i, healthy());
			}
			Thread.sleep(3000);
			Stack stack = new Stack(relay, partners, db,
					"http://127.0.0.1:" + this.settings.ingestPort() + "/postback/" + relay.sourceKey());
			header();
			progress("warm-up");
			Wrk.run("http://127.0.0.1:" + this.settings.ingestPort(), "/postback/" + relay.sourceKey(), WARM_UP_SECONDS,
					64, this.data);
			awaitComplete(partners, db, settle(db, 0) * PARTNERS, 300);
			progress("1. ceiling");
			ceiling(stack);
			progress("2. end-to-end");
			Delays normal = steady(stack, "2. End-to-end delay, 4 healthy partners", List.of());
			partners.behave(TROUBLED, new PartnerSimulator.Behaviour(0, 200, true));
			progress("3. hanging partner");
			Delays isolated = steady(stack, "3. One of 4 partners never answers", List.of(TROUBLED));
			line("Isolation: partners p0-p2 with %s hanging against all healthy: throughput **%.0f%%** (goal >= 95%%), "
					+ "p99 **%.2fx** (goal <= 1.5x).", TROUBLED, 100.0 * isolated.perSecond() / normal.perSecond(),
					isolated.p99() / normal.p99());
			line("");
			partners.behave(TROUBLED, healthy());
			progress("4. outage");
			outage(stack);
			progress("6. naive design");
			naive(stack, normal);
		}
		line("Whole run: %.1f minutes.", (System.nanoTime() - started) / 60e9);
		progress("done");
	}

	private static PartnerSimulator.Behaviour healthy() {
		return new PartnerSimulator.Behaviour(2, 200, false);
	}

	private void header() {
		line("# Performance");
		line("");
		line("Written by `./relay-bench` on %s: %d cores, %s, Java %s. A Kafka broker process, %s,",
				Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors(),
				System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"),
				(this.settings.mongoUri() != null) ? "MongoDB from RELAY_MONGODB_URI"
						: "the embedded MongoDB-protocol store (mongo-java-server, in memory)");
		line("the three services as processes (`-Xmx384m` each), the partner simulator (4 partners answering");
		line("in 2 ms, timeout 2 s) and the load generators all share this one machine. Dispatcher retries");
		line("`%s`. The embedded store ignores secondary indexes (look-ups by delivery id scan every", RETRIES);
		line("attempt log), so each scenario after the first starts with no attempt logs. Every figure");
		line("is from this one run: compare ratios, not absolutes.");
		line("");
	}

	private void ceiling(Stack stack) throws Exception {
		Wrk.Result bare = bare();
		stack.partners().reset();
		long before = settle(stack.db(), 0);
		long dispatcher = stack.relay().servicePids().get(1);
		signal("STOP", dispatcher);
		Wrk.Result alone;
		long aloneAccepted;
		try {
			alone = wrk(stack);
			aloneAccepted = settle(stack.db(), before) - before;
		}
		finally {
			signal("CONT", dispatcher);
		}
		List<Long> rss = stack.relay().servicePids().stream().map(Benchmark::peakRssKb).toList();
		Drain aloneDrain = drain(stack, aloneAccepted, System.nanoTime());
		before = settle(stack.db(), 0);
		long sharedStarted = System.nanoTime();
		Wrk.Result shared = wrk(stack);
		long sharedAccepted = settle(stack.db(), before) - before;
		Drain sharedDrain = drain(stack, sharedAccepted, sharedStarted);
		line("## 1. Ingest ceiling (wrk, 64 connections, %d s each, unique click ids, after a %d s warm-up)",
				WRK_SECONDS, WARM_UP_SECONDS);
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
		line("| deliveries of | deliveries | all delivered after | deliveries/s | missing | copies |");
		line("|---|---|---|---|---|---|");
		drainRow("the paused run (a backlog, from the dispatcher's resumption)", aloneDrain);
		drainRow("the shared run (from the start of wrk)", sharedDrain);
		line("");
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

	private Wrk.Result wrk(Stack stack) throws Exception {
		stack.partners().reset();
		return Wrk.run("http://127.0.0.1:" + this.settings.ingestPort(), "/postback/" + stack.relay().sourceKey(),
				WRK_SECONDS, 64, this.data);
	}

	/**
	 * Waits for every delivery of a ceiling run.
	 * @param started since when the dispatcher could deliver them
	 */
	private Drain drain(Stack stack, long accepted, long started) throws InterruptedException {
		long expected = accepted * PARTNERS;
		long counted = awaitComplete(stack.partners(), stack.db(), expected, 240);
		double seconds = (System.nanoTime() - started) / 1e9;
		long missing = Math.max(0, expected - counted);
		this.incomplete |= missing > 0;
		return new Drain(expected, seconds, missing, stack.partners().copies());
	}

	private Wrk.Result bare() throws Exception {
		int port = port();
		Process bare = startJava(BareApplication.class, "bare", "--server.port=" + port);
		try {
			Wrk.run("http://127.0.0.1:" + port, "/postback/x", 5, 64, this.data);
			return Wrk.run("http://127.0.0.1:" + port, "/postback/x", WRK_SECONDS, 64, this.data);
		}
		finally {
			stop(bare);
		}
	}

	private Delays steady(Stack stack, String title, List<String> failing) throws Exception {
		emptyAttemptLogs(stack);
		stack.partners().reset();
		OpenLoad load = new OpenLoad();
		long started = System.nanoTime();
		load.run(stack.ingestUrl(), this.rate, SECONDS, "s" + System.nanoTime());
		long expected = (long) load.acceptedAt.size() * PARTNERS;
		long counted = awaitComplete(stack.partners(), stack.db(), expected, 180);
		Delays all = delays(stack.partners(), load, started, (partner) -> !failing.contains(partner));
		Delays core = delays(stack.partners(), load, started, ALWAYS_HEALTHY::contains);
		List<Double> answers = sorted(load.responseMillis);
		line("## %s (%d postbacks/s for %d s, open model)", title, this.rate, SECONDS);
		line("");
		line("| accepted | ingest failures | ingest answer p50 ms | p99 ms | deliveries to healthy partners | "
				+ "delay p50 ms | p99 ms | max ms | deliveries/s |");
		line("|---|---|---|---|---|---|---|---|---|");
		line("| %d | %d | %.1f | %.1f | %d | %.1f | %.1f | %.1f | %.0f |", load.acceptedAt.size(), load.failures.get(),
				percentile(answers, 0.5), percentile(answers, 0.99), all.count(), all.p50(), all.p99(), all.max(),
				all.perSecond());
		line("");
		line("Delay: from ingest's answer to the partner receiving the postback.");
		completeness(stack, load.acceptedAt.size(), expected, counted);
		stack.db().getCollection("dead_letters").deleteMany(Filters.eq("status", "OPEN"));
		return core;
	}

	private void outage(Stack stack) throws Exception {
		emptyAttemptLogs(stack);
		stack.partners().reset();
		stack.partners().behave(TROUBLED, new PartnerSimulator.Behaviour(0, 503, false));
		long outageStarted = System.nanoTime();
		OpenLoad load = new OpenLoad();
		load.run(stack.ingestUrl(), this.rate, SECONDS, "o" + System.nanoTime());
		long callsDuringOutage;
		try {
			Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(OUTAGE_SECONDS)
					- TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStarted)));
		}
		finally {
			callsDuringOutage = stack.partners().calls(TROUBLED);
			stack.partners().behave(TROUBLED, healthy());
		}
		long recovered = System.nanoTime();
		long expected = (long) load.acceptedAt.size() * PARTNERS;
		long counted = awaitComplete(stack.partners(), stack.db(), expected, 180);
		long lastArrival = stack.partners()
			.arrivals()
			.values()
			.stream()
			.filter((arrival) -> arrival.partner().equals(TROUBLED))
			.mapToLong(PartnerSimulator.Arrival::nanoTime)
			.max()
			.orElse(recovered);
		long troubledDelivered = stack.partners()
			.arrivals()
			.values()
			.stream()
			.filter((arrival) -> arrival.partner().equals(TROUBLED))
			.count();
		Delays healthy = delays(stack.partners(), load, outageStarted, ALWAYS_HEALTHY::contains);
		line("## 4. Outage and recovery: %s answers 503 for %d s, then recovers (%d postbacks/s for %d s)", TROUBLED,
				OUTAGE_SECONDS, this.rate, SECONDS);
		line("");
		line("| accepted | calls to %s during the outage | delivered to %s after it | drained in | "
				+ "healthy partners' delay p99 ms |", TROUBLED, TROUBLED);
		line("|---|---|---|---|---|");
		line("| %d | %d | %d of %d | %.1f s after recovery | %.1f |", load.acceptedAt.size(), callsDuringOutage,
				troubledDelivered, load.acceptedAt.size(), Math.max(0, lastArrival - recovered) / 1e9, healthy.p99());
		line("");
		line("During the outage the circuit breaker sends most retries back to the retry topics without a call; "
				+ "half-open probes find the recovery.");
		completeness(stack, load.acceptedAt.size(), expected, counted);
		stack.db().getCollection("dead_letters").deleteMany(Filters.eq("status", "OPEN"));
	}

	private void naive(Stack stack, Delays relayNormal) throws Exception {
		int port = port();
		String partnerUrls = String.join(",", List.of(stack.partners().url("p0"), stack.partners().url("p1"),
				stack.partners().url("p2"), stack.partners().url(TROUBLED)));
		Process naive = startJava(NaiveApplication.class, "naive", "--server.port=" + port,
				"--naive.mongo-uri=" + this.settings.effectiveMongoUri(), "--naive.partners=" + partnerUrls,
				"--naive.timeout=" + PARTNER_TIMEOUT_MS + "ms");
		String url = "http://127.0.0.1:" + port;
		List<String> rows = new ArrayList<>();
		try {
			Wrk.run(url, "/postback/naive", 5, 64, this.data);
			stack.partners().reset();
			rows.add(naiveRow("all partners healthy, wrk 64 connections",
					Wrk.run(url, "/postback/naive", WRK_SECONDS, 64, this.data)));
			stack.partners().behave(TROUBLED, new PartnerSimulator.Behaviour(0, 200, true));
			rows.add(naiveRow(TROUBLED + " never answers, wrk 64 connections",
					Wrk.run(url, "/postback/naive", WRK_SECONDS, 64, this.data)));
			OpenLoad load = new OpenLoad();
			load.run(url + "/postback/naive", this.rate, SECONDS / 2, "n" + System.nanoTime());
			List<Double> answers = sorted(load.responseMillis);
			rows.add(String.format(Locale.ROOT,
					"| %s never answers, open model %d/s (answers/s: the fixed rate) | %d answered | %.1f | %.1f |",
					TROUBLED, this.rate, load.acceptedAt.size(), percentile(answers, 0.5), percentile(answers, 0.99)));
		}
		finally {
			stack.partners().behave(TROUBLED, healthy());
			stop(naive);
		}
		line("## 6. The naive design: store, then call the 4 partners one after the other inside the request");
		line("");
		line("The same framework, JVM settings and store; no authentication, validation, de-duplication, retries "
				+ "or logs (which only flatters it).");
		line("");
		line("| naive relay | answers/s | p50 ms | p99 ms |");
		line("|---|---|---|---|");
		rows.forEach(this::line);
		line("");
		line("Postback Relay's ingest answers independently of partners (scenario 1 and the answer times of "
				+ "scenarios 2-4); at %d/s its healthy partners' delivery delay p99 was %.1f ms.", this.rate,
				relayNormal.p99());
		line("");
	}

	private String naiveRow(String name, Wrk.Result result) {
		return String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f |", name, result.requestsPerSecond(),
				result.p50Ms(), result.p99Ms());
	}

	private void completeness(Stack stack, long accepted, long expected, long counted) {
		long missing = Math.max(0, expected - counted);
		long underSeveralIds = stack.partners().underSeveralIds();
		this.incomplete |= missing > 0 || underSeveralIds > 0;
		line("Completeness: %d accepted x %d partners = %d; %d delivered + %d dead letters = %d (%s); "
				+ "%d copies under the same delivery id, %d under different ones.", accepted, PARTNERS, expected,
				stack.partners().arrivals().size(), deadLetters(stack.db()), counted,
				(missing == 0) ? "none missing" : "MISSING " + missing, stack.partners().copies(), underSeveralIds);
		line("");
	}

	private static Delays delays(PartnerSimulator partners, OpenLoad load, long started,
			java.util.function.Predicate<String> counted) {
		List<Double> delays = new ArrayList<>();
		long last = started;
		for (PartnerSimulator.Arrival arrival : partners.arrivals().values()) {
			Long accepted = load.acceptedAt.get(arrival.postbackId());
			if (accepted != null && counted.test(arrival.partner())) {
				delays.add((arrival.nanoTime() - accepted) / 1e6);
				last = Math.max(last, arrival.nanoTime());
			}
		}
		Collections.sort(delays);
		double elapsed = Math.max(1e-9, (last - started) / 1e9);
		return new Delays(delays.size(), percentile(delays, 0.5), percentile(delays, 0.99), percentile(delays, 1.0),
				delays.size() / elapsed);
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
			Thread.sleep(200);
		}
		return counted;
	}

	/**
	 * Counts stored postbacks once the count stops moving (requests wrk left in flight
	 * are still answered and stored after it stops).
	 */
	private static long settle(MongoDatabase db, long floor) throws InterruptedException {
		long previous = -1;
		long count = db.getCollection("received_postbacks").countDocuments();
		while (count != previous) {
			Thread.sleep(1000);
			previous = count;
			count = db.getCollection("received_postbacks").countDocuments();
		}
		return Math.max(floor, count);
	}

	/**
	 * The embedded store ignores secondary indexes, so the dead-letter handler's look-up
	 * of a delivery's last attempt scans every attempt log; on MongoDB an index makes it
	 * cheap. Each scenario therefore starts without the earlier scenarios' logs.
	 */
	private void emptyAttemptLogs(Stack stack) {
		if (this.settings.mongoUri() == null) {
			stack.db().getCollection("partner_postback_logs").deleteMany(new Document());
		}
	}

	private static long deadLetters(MongoDatabase db) {
		return db.getCollection("dead_letters").countDocuments(Filters.eq("status", "OPEN"));
	}

	private static void signal(String signal, long pid) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		if (kill.waitFor() != 0) {
			throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
		}
	}

	private Process startJava(Class<?> main, String name, String... args) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
						"-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(List.of(args));
		Path log = this.data.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		int port = Integer.parseInt(args[0].substring(args[0].indexOf('=') + 1));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return process;
			}
			catch (IOException notYet) {
				Thread.sleep(200);
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException(name + " did not start, see " + log);
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		process.waitFor(30, TimeUnit.SECONDS);
	}

	private static long peakRssKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			return -1;
		}
		return -1;
	}

	private static List<Double> sorted(Collection<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted;
	}

	private static double percentile(List<Double> sorted, double p) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(p * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	private static int port() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Prints the step and writes the report so far, so a run that fails later still
	 * leaves what it measured.
	 */
	private void progress(String step) throws IOException {
		System.out.println("relay-bench: " + step);
		Files.writeString(this.output, String.join("\n", this.report) + "\n");
	}

	private void line(String format, Object... args) {
		this.report.add(String.format(Locale.ROOT, format, args));
	}

	private record Stack(LocalRelay relay, PartnerSimulator partners, MongoDatabase db, String ingestUrl) {
	}

	private record Delays(long count, double p50, double p99, double max, double perSecond) {
	}

	private record Drain(long expected, double seconds, long missing, long copies) {
	}

}
