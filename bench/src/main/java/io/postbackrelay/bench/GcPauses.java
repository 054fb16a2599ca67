package io.postbackrelay.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The garbage collection pauses of the stack's processes while a load ran: a pause stops
 * every thread of its process, so a process that handles each postback on the way (the
 * broker several times) adds its pauses to the delays. Read from each JVM's performance
 * counters, the {@code hsperfdata} file that {@code jstat -gc} reads too (collections and
 * their time per collector: young, full, and G1's remark and clean-up pauses), without
 * starting a process while the load's deliveries are still arriving.
 */
final class GcPauses {

	private static final Path PERF_DATA = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"));

	private static final int MAGIC = 0xcafec0c0;

	private final Map<String, Long> pids;

	private final Map<String, Pauses> before;

	GcPauses(Map<String, Long> pids) {
		this.pids = pids;
		this.before = pauses();
	}

	/**
	 * One sentence for the report: each process's pauses and their total time since the
	 * start.
	 * @return the sentence, or {@code null} where a process's counters cannot be read
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
		Map<String, Pauses> pauses = new LinkedHashMap<>();
		for (Map.Entry<String, Long> process : this.pids.entrySet()) {
			Pauses read = read(PERF_DATA.resolve(Long.toString(process.getValue())));
			if (read == null) {
				return null;
			}
			pauses.put(process.getKey(), read);
		}
		return pauses;
	}

	private static Pauses read(Path file) {
		try {
			Map<String, Long> counters = counters(ByteBuffer.wrap(Files.readAllBytes(file)));
			long count = 0;
			long ticks = 0;
			for (int collector = 0; counters.containsKey("sun.gc.collector." + collector + ".time"); collector++) {
				count += counters.get("sun.gc.collector." + collector + ".invocations");
				ticks += counters.get("sun.gc.collector." + collector + ".time");
			}
			return new Pauses(count, (double) ticks / counters.get("sun.os.hrt.frequency"));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The scalar long counters of a performance data buffer (format version 2: a 32-byte
	 * prologue, then entries each naming its data's offset).
	 */
	private static Map<String, Long> counters(ByteBuffer buffer) {
		if (buffer.getInt(0) != MAGIC) {
			throw new IllegalStateException("Not a performance data buffer");
		}
		buffer.order((buffer.get(4) == 0) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		Map<String, Long> counters = new HashMap<>();
		int entry = buffer.getInt(24);
		int entries = buffer.getInt(28);
		for (int i = 0; i < entries; i++) {
			int length = buffer.getInt(entry);
			int nameOffset = buffer.getInt(entry + 4);
			int vectorLength = buffer.getInt(entry + 8);
			byte type = buffer.get(entry + 12);
			int dataOffset = buffer.getInt(entry + 16);
			if (vectorLength == 0 && type == 'J') {
				int nameStart = entry + nameOffset;
				int nameEnd = nameStart;
				while (buffer.get(nameEnd) != 0) {
					nameEnd++;
				}
				byte[] name = new byte[nameEnd - nameStart];
				buffer.get(nameStart, name);
				counters.put(new String(name, StandardCharsets.US_ASCII), buffer.getLong(entry + dataOffset));
			}
			entry += length;
		}
		return counters;
	}

	private record Pauses(long count, double seconds) {
	}

}
