package io.postbackrelay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time the stack's processes used while a scenario's load ran, from Linux's
 * {@code /proc} (clock ticks of each process, and of its JIT compiler threads): shows how
 * close to saturation the shared cores were, and how much of it the JIT took; with the
 * same processes' GC pauses ({@link GcPauses}).
 */
final class CpuUse {

	/**
	 * Linux's USER_HZ, the unit of {@code /proc}'s CPU times on every common platform.
	 */
	private static final double TICKS_PER_SECOND = 100;

	private static final Path MACHINE = Path.of("/proc/stat");

	/**
	 * The field of {@code /proc/stat}'s cpu line counting time a virtual machine's
	 * hypervisor gave its cores to others: it shows when a run's machine was slower for
	 * reasons of its own.
	 */
	private static final int STEAL = 8;

	private final Map<String, Long> pids;

	private final Map<String, Ticks> before;

	private final long startedNanos;

	private final long machineBefore;

	private final long stolenBefore;

	private final GcPauses gc;

	private CpuUse(Map<String, Long> pids) {
		this.pids = pids;
		this.gc = new GcPauses(pids);
		this.before = ticks();
		this.machineBefore = machineBusy();
		this.stolenBefore = machineTicks(STEAL);
		this.startedNanos = System.nanoTime();
	}

	/**
	 * Starts counting the stack's processes.
	 * @param stack the stack whose processes are counted, with this JVM (the harness:
	 * load generator, partner simulator and embedded store)
	 * @return the count
	 */
	static CpuUse start(Stack stack) {
		List<Long> services = stack.relay().servicePids();
		Map<String, Long> pids = new LinkedHashMap<>();
		pids.put("ingest", services.get(0));
		pids.put("dispatcher", services.get(1));
		pids.put("admin", services.get(2));
		pids.put("broker", stack.relay().brokerPid());
		pids.put("harness", ProcessHandle.current().pid());
		return start(pids);
	}

	/**
	 * Starts counting the given processes.
	 * @param pids the processes by the names the report gives them
	 * @return the count
	 */
	static CpuUse start(Map<String, Long> pids) {
		return new CpuUse(pids);
	}

	/**
	 * One line for the report: each process's share of a core since the start, their
	 * total against the machine's cores, the JIT compilers' part of it, and each
	 * process's GC pauses.
	 * @return the line, or {@code null} where {@code /proc} is missing
	 */
	String summary() {
		return summary(0);
	}

	/**
	 * The {@linkplain #summary() summary} with, for a load of requests, the CPU time each
	 * process and the whole machine used per answer: what a request costs, which varies
	 * less from run to run than what a saturated machine answers.
	 * @param answers the answers given while counting, or 0 for no such figures
	 * @return the line, or {@code null} where {@code /proc} is missing
	 */
	String summary(long answers) {
		if (!Files.isReadable(MACHINE)) {
			return null;
		}
		Map<String, Ticks> after = ticks();
		double seconds = (System.nanoTime() - this.startedNanos) / 1e9;
		List<String> parts = new ArrayList<>();
		List<String> perAnswer = new ArrayList<>();
		double total = 0;
		double compilers = 0;
		for (Map.Entry<String, Ticks> entry : after.entrySet()) {
			Ticks start = this.before.get(entry.getKey());
			Ticks end = entry.getValue();
			long ticks = end.process() - start.process();
			double used = percent(ticks, seconds);
			total += used;
			for (Map.Entry<String, Long> thread : end.compilers().entrySet()) {
				compilers += percent(thread.getValue() - start.compilers().getOrDefault(thread.getKey(), 0L), seconds);
			}
			parts.add(String.format(Locale.ROOT, "%s %.0f%%", entry.getKey(), used));
			perAnswer.add(String.format(Locale.ROOT, "%s %.0f", entry.getKey(), micros(ticks, answers)));
		}
		long machine = machineBusy() - this.machineBefore;
		String cpu = String.format(Locale.ROOT,
				"CPU while the load ran (%% of one core): %s; together %.0f%%, of which JIT compiler threads %.0f%%; "
						+ "the whole machine (with wrk and anything else) %.0f%% of %d%%, of which stolen by the "
						+ "hypervisor %.0f%%.",
				String.join(", ", parts), total, compilers, percent(machine, seconds),
				Runtime.getRuntime().availableProcessors() * 100,
				percent(machineTicks(STEAL) - this.stolenBefore, seconds));
		if (answers > 0) {
			cpu += String.format(Locale.ROOT, " CPU per answer (microseconds): %s; the whole machine %.0f.",
					String.join(", ", perAnswer), micros(machine, answers));
		}
		String gcPauses = this.gc.summary();
		return (gcPauses != null) ? cpu + " " + gcPauses : cpu;
	}

	private static double micros(long ticks, long answers) {
		return (answers > 0) ? ticks / TICKS_PER_SECOND * 1e6 / answers : 0;
	}

	/** Ticks all cores spent busy: user, nice, system, irq, softirq and steal. */
	private static long machineBusy() {
		return machineTicks(1, 2, 3, 6, 7, STEAL);
	}

	/**
	 * The sum of the given fields of {@code /proc/stat}'s first line (all cores), in
	 * ticks.
	 */
	private static long machineTicks(int... fields) {
		try {
			String[] cpu = Files.readAllLines(MACHINE).get(0).trim().split("\\s+");
			long ticks = 0;
			for (int field : fields) {
				ticks += Long.parseLong(cpu[field]);
			}
			return ticks;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	private static double percent(long ticks, double seconds) {
		return 100 * ticks / TICKS_PER_SECOND / seconds;
	}

	private Map<String, Ticks> ticks() {
		Map<String, Ticks> ticks = new LinkedHashMap<>();
		this.pids.forEach((name, pid) -> {
			Path process = Path.of("/proc", Long.toString(pid));
			String[] total = stat(process.resolve("stat"));
			Map<String, Long> compilers = new HashMap<>();
			try (Stream<Path> threads = Files.list(process.resolve("task"))) {
				threads.forEach((thread) -> {
					String[] stat = stat(thread.resolve("stat"));
					if (stat != null && stat[0].contains("CompilerThre")) {
						compilers.put(thread.getFileName().toString(), used(stat));
					}
				});
			}
			catch (IOException | UncheckedIOException ex) {
				// the process ended: nothing more to count
			}
			ticks.put(name, new Ticks((total != null) ? used(total) : 0, compilers));
		});
		return ticks;
	}

	private static long used(String[] stat) {
		return Long.parseLong(stat[1]) + Long.parseLong(stat[2]);
	}

	/**
	 * A process's or thread's name, user and system ticks from its {@code stat} line, or
	 * {@code null} if it ended.
	 */
	private static String[] stat(Path file) {
		try {
			String line = Files.readString(file);
			int open = line.indexOf('(');
			int close = line.lastIndexOf(')');
			String[] fields = line.substring(close + 2).split(" ");
			// fields 14 and 15 of proc(5)'s stat: utime and stime
			return new String[] { line.substring(open + 1, close), fields[11], fields[12] };
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * CPU ticks of a process (its ended threads included), and of each of its JIT
	 * compiler threads by thread id.
	 */
	private record Ticks(long process, Map<String, Long> compilers) {
	}

}
