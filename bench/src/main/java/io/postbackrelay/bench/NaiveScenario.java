package io.postbackrelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 6: the naive design, which stores a postback and calls every partner one after
 * the other inside the request, with healthy partners and with one hanging.
 */
final class NaiveScenario {

	private static final String PATH = "/postback/naive";

	private final Stack stack;

	private final Report report;

	private final int rate;

	NaiveScenario(Stack stack, Report report, int rate) {
		this.stack = stack;
		this.report = report;
		this.rate = rate;
	}

	void run(Stats.Delays relayNormal) throws Exception {
		PartnerSimulator partners = this.stack.partners();
		int port = Processes.port();
		String partnerUrls = String.join(",",
				List.of(partners.url("p0"), partners.url("p1"), partners.url("p2"), partners.url(Benchmark.TROUBLED)));
		Process naive = Processes.startJava(this.stack.data(), NaiveApplication.class, "naive", "--server.port=" + port,
				"--naive.mongo-uri=" + this.stack.settings().effectiveMongoUri(), "--naive.partners=" + partnerUrls,
				"--naive.timeout=" + Benchmark.PARTNER_TIMEOUT_MS + "ms");
		String url = "http://127.0.0.1:" + port;
		List<String> rows = new ArrayList<>();
		try {
			Wrk.run(url, PATH, 5, 64, this.stack.data());
			partners.reset();
			rows.add(row("all partners healthy, wrk 64 connections", wrk(url)));
			partners.behave(Benchmark.TROUBLED, PartnerSimulator.Behaviour.hanging());
			rows.add(row(Benchmark.TROUBLED + " never answers, wrk 64 connections", wrk(url)));
			OpenLoad load = new OpenLoad();
			load.run(url + PATH, this.rate, Benchmark.SECONDS / 2, "n" + System.nanoTime());
			List<Double> answers = Stats.sorted(load.responseMillis);
			rows.add(String.format(Locale.ROOT,
					"| %s never answers, open model %d/s (answers/s: the fixed rate) | %d answered | %.1f | %.1f |",
					Benchmark.TROUBLED, this.rate, load.acceptedAt.size(), Stats.percentile(answers, 0.5),
					Stats.percentile(answers, 0.99)));
		}
		finally {
			partners.behave(Benchmark.TROUBLED, Benchmark.healthy());
			Processes.stop(naive);
		}
		write(rows, relayNormal);
	}

	private Wrk.Result wrk(String url) throws Exception {
		return Wrk.run(url, PATH, Benchmark.WRK_SECONDS, 64, this.stack.data());
	}

	private void write(List<String> rows, Stats.Delays relayNormal) {
		this.report
			.line("## 6. The naive design: store, then call the 4 partners one after the other inside the request");
		this.report.line("");
		this.report.line("The same framework, JVM settings and store; no authentication, validation, de-duplication, "
				+ "retries or logs (which only flatters it).");
		this.report.line("");
		this.report.line("| naive relay | answers/s | p50 ms | p99 ms |");
		this.report.line("|---|---|---|---|");
		rows.forEach((row) -> this.report.line("%s", row));
		this.report.line("");
		if (relayNormal != null) {
			this.report.line(
					"Postback Relay's ingest answers independently of partners (scenario 1 and the answer "
							+ "times of scenarios 2-4); at %d/s its healthy partners' delivery delay p99 was %.1f ms.",
					this.rate, relayNormal.p99());
			this.report.line("");
		}
	}

	private static String row(String name, Wrk.Result result) {
		return String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f |", name, result.requestsPerSecond(),
				result.p50Ms(), result.p99Ms());
	}

}
