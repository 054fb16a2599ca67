package io.postbackrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The garbage collection pauses of the stack's processes while a load ran, from the JDK's
 * {@code jstat}: a pause stops every thread of its process, so a process that handles
 * each postback on the way (the broker several times) adds its pauses to the delays.
 */
final class GcPauses {

	private static final Path JSTAT = Path.of(System.getProperty("java.home"), "bin", "jstat");

	private final Map<String, Long> pids;

	private final Map<String, Pauses> before;

	GcPauses(Map<String, Long> pids) {
		this.pids = pids;
		this.before = pauses();
	}

	/**
	 * One sentence for the report: each process's pauses and their total time since the
	 * start.
	 * @return the sentence, or {@code null} where {@code jstat} is missing or failed
	 */
	String summary() {
		Map<String, Pauses> after = pauses();
		if (this.before == null || after == null) {
			return null;
		}
		List<String> parts = new ArrayList<>();
		after.forEach((name, end) -> {
			Pauses start = this.before.get(name);
			parts.add(String.format(Locale.ROOT, "%s %d (%.0f ms)", name, end.count() - start.count(),
					(end.seconds() - start.seconds()) * 1000));
		});
		return "GC pauses while the load ran (count, total time): " + String.join(", ", parts) + ".";
	}

	private Map<String, Pauses> pauses() {
		if (!Files.isExecutable(JSTAT)) {
			return null;
		}
		Map<String, Pauses> pauses = new LinkedHashMap<>();
		for (Map.Entry<String, Long> process : this.pids.entrySet()) {
			Pauses read = read(process.getValue());
			if (read == null) {
				return null;
			}
			pauses.put(process.getKey(), read);
		}
		return pauses;
	}

	/**
	 * Young, full and concurrent-cycle pauses (G1's remark and clean-up) and their total
	 * time, from {@code jstat -gc}'s columns by name.
	 */
	private static Pauses read(long pid) {
		try {
			Process jstat = new ProcessBuilder(JSTAT.toString(), "-gc", Long.toString(pid)).redirectErrorStream(true)
				.start();
			String output = new String(jstat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!jstat.waitFor(30, TimeUnit.SECONDS) || jstat.exitValue() != 0) {
				return null;
			}
			String[] lines = output.strip().split("\\R");
			List<String> names = List.of(lines[0].trim().split("\\s+"));
			String[] values = lines[lines.length - 1].trim().split("\\s+");
			long count = 0;
			for (String column : List.of("YGC", "FGC", "CGC")) {
				String value = values[names.indexOf(column)];
				// a collector without concurrent cycles shows "-"
				count += value.equals("-") ? 0 : Long.parseLong(value);
			}
			return new Pauses(count, Double.parseDouble(values[names.indexOf("GCT")]));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private record Pauses(long count, double seconds) {
	}

}
