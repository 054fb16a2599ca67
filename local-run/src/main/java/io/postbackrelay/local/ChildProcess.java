package io.postbackrelay.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started with this launcher's classpath, its output in a log file. Stopping it
 * sends SIGTERM, so a Spring Boot service shuts down gracefully, and kills it only if it
 * has not stopped in 30 seconds.
 */
final class ChildProcess {

	private final String name;

	private final Process process;

	private final Path log;

	private ChildProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	static ChildProcess start(String name, Path log, List<String> jvmOptions, String mainClass, String... args)
			throws IOException {
		return start(name, log, jvmOptions, Map.of(), mainClass, args);
	}

	static ChildProcess start(String name, Path log, List<String> jvmOptions, Map<String, String> environment,
			String mainClass, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass);
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().putAll(environment);
		Process process = builder.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		return new ChildProcess(name, process, log);
	}

	static int run(Path log, String mainClass, String... args) throws IOException, InterruptedException {
		ChildProcess child = start(mainClass, log, List.of(), mainClass, args);
		return child.process.waitFor();
	}

	void awaitPort(int port, int seconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			checkAlive();
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException(this.name + " did not open port " + port + ", see " + this.log);
	}

	void awaitReady(int port, int seconds) throws InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			checkAlive();
			try {
				HttpResponse<Void> response = http.send(
						HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(300);
		}
		throw new IllegalStateException(this.name + " was not ready in " + seconds + " s, see " + this.log);
	}

	private void checkAlive() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException(
					this.name + " exited with " + this.process.exitValue() + ", see " + this.log);
		}
	}

	long pid() {
		return this.process.pid();
	}

	String name() {
		return this.name;
	}

	/**
	 * Kills the process at once (SIGKILL), as a crash would, and waits for it to end.
	 * @throws InterruptedException if interrupted while waiting
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
