package io.postbackrelay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open-model load: postbacks sent at a constant rate whatever the server does, so a
 * slow answer cannot hide the requests that would have followed it (no coordinated
 * omission). Keeps, per accepted postback, when ingest answered.
 */
final class OpenLoad {

	private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]+)\"");

	private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

	final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

	final AtomicLong failures = new AtomicLong();

	/** Response times in ms, from when each request was due (not when it was sent). */
	final Queue<Double> responseMillis = new ConcurrentLinkedQueue<>();

	void run(String baseUrl, int perSecond, int seconds, String tag) throws InterruptedException {
		ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
		long intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
		AtomicLong sent = new AtomicLong();
		long total = (long) perSecond * seconds;
		long start = System.nanoTime();
		clock.scheduleAtFixedRate(() -> {
			long n = sent.incrementAndGet();
			if (n > total) {
				return;
			}
			long due = start + (n - 1) * intervalNanos;
			HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "?click_id=" + tag + "-" + n))
				.timeout(Duration.ofSeconds(30))
				.build();
			this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, ex) -> {
				this.responseMillis.add((System.nanoTime() - due) / 1e6);
				if (ex != null || response.statusCode() != 200) {
					this.failures.incrementAndGet();
					return;
				}
				Matcher id = ID.matcher(response.body());
				if (id.find()) {
					this.acceptedAt.put(id.group(1), System.nanoTime());
				}
			});
		}, 0, intervalNanos, TimeUnit.NANOSECONDS);
		Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.responseMillis.size() < total && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		clock.shutdownNow();
	}

}
