package io.postbackrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (closed model, the most a server answers) with a script that gives
 * every request its own click id, so no postback is a duplicate.
 */
final class Wrk {

	private Wrk() {
	}

	/**
	 * One wrk run's figures.
	 *
	 * @param requestsPerSecond answers per second
	 * @param p50Ms median latency
	 * @param p99Ms 99th percentile latency
	 * @param requests answers in all
	 * @param errors non-2xx answers and socket errors
	 */
	record Result(double requestsPerSecond, double p50Ms, double p99Ms, long requests, long errors) {
	}

	/**
	 * Fails at once, before the stack starts, when {@code wrk} is not installed.
	 * @throws IllegalStateException naming the package to install
	 */
	static void requireInstalled() throws InterruptedException {
		String version;
		try {
			Process wrk = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
			version = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			wrk.waitFor();
		}
		catch (IOException ex) {
			version = ex.getMessage();
		}
		if (!version.startsWith("wrk ")) {
			throw new IllegalStateException(
					"The benchmark needs wrk on the PATH (Debian package wrk) for its ingest ceiling: " + version);
		}
	}

	static Result run(String url, String pathPrefix, int seconds, int connections, Path scratch)
			throws IOException, InterruptedException {
		Path script = scratch.resolve("unique-click.lua");
		// wrk runs one Lua state per thread, each with the same random sequence: the
		// thread number and a per-run prefix keep every click id unique
		Files.writeString(script, """
				local threads = 0
				function setup(thread)
				  threads = threads + 1
				  thread:set("tid", threads)
				end
				local counter = 0
				local prefix = "%s?click_id=%s-"
				request = function()
				  counter = counter + 1
				  return wrk.format("GET", prefix .. tid .. "-" .. counter)
				end
				""".formatted(pathPrefix, Long.toString(System.nanoTime(), 36)));
		Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
				// above every partner timeout, so slow answers are measured, not dropped
				"--timeout", "10s", "--latency", "-s", script.toString(), url)
			.redirectErrorStream(true)
			.start();
		String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (wrk.waitFor() != 0) {
			throw new IllegalStateException("wrk failed:\n" + output);
		}
		return new Result(number(output, "Requests/sec:\\s+([\\d.]+)"), millis(output, "50%"), millis(output, "99%"),
				(long) number(output, "(\\d+) requests in"), errors(output));
	}

	private static double number(String output, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("wrk output lacks " + regex + ":\n" + output);
		}
		return Double.parseDouble(matcher.group(1));
	}

	private static double millis(String output, String percentile) {
		Matcher matcher = Pattern.compile(percentile + "\\s+([\\d.]+)(us|ms|s)").matcher(output);
		if (!matcher.find()) {
			return Double.NaN;
		}
		double value = Double.parseDouble(matcher.group(1));
		return switch (matcher.group(2)) {
			case "us" -> value / 1000;
			case "s" -> value * 1000;
			default -> value;
		};
	}

	private static long errors(String output) {
		long errors = 0;
		Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
		if (non2xx.find()) {
			errors += Long.parseLong(non2xx.group(1));
		}
		Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
			.matcher(output);
		if (socket.find()) {
			for (int i = 1; i <= 4; i++) {
				errors += Long.parseLong(socket.group(i));
			}
		}
		return errors;
	}

}
