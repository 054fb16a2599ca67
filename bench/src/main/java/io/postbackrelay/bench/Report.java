package io.postbackrelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report the benchmark writes to docs/performance.md, and whether a delivery went
 * missing.
 */
final class Report {

	private final List<String> lines = new ArrayList<>();

	private final Path output;

	private boolean incomplete;

	Report(Path output) {
		this.output = output;
	}

	/**
	 * Prints the step and writes the report so far, so a run that fails later still
	 * leaves what it measured.
	 */
	void progress(String step) throws IOException {
		System.out.println("relay-bench: " + step);
		Files.writeString(this.output, String.join("\n", this.lines) + "\n");
	}

	void line(String format, Object... args) {
		this.lines.add(String.format(Locale.ROOT, format, args));
	}

	/**
	 * Records whether something was missing; once missing, the run fails.
	 * @param missing whether a delivery was missing or arrived under two ids
	 */
	void missing(boolean missing) {
		this.incomplete |= missing;
	}

	boolean incomplete() {
		return this.incomplete;
	}

}
