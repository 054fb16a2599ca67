package io.postbackrelay.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An open-model stream of postbacks, as a platform sends them: one every interval,
 * whatever the relay does, each remembered with the time ingest accepted it, so that a
 * partner's delay per postback can be measured.
 */
public final class PostbackStream implements AutoCloseable {

	private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

	private final ScheduledExecutorService platform = Executors.newSingleThreadScheduledExecutor();

	/**
	 * Starts sending.
	 * @param stack the relay
	 * @param key the source key
	 * @param clickPrefix prefix of each postback's unique click id
	 * @param count how many postbacks
	 * @param interval the time between two postbacks
	 */
	public PostbackStream(RelayStack stack, String key, String clickPrefix, int count, Duration interval) {
		for (int i = 0; i < count; i++) {
			String query = "click_id=" + clickPrefix + "-" + i;
			this.platform.schedule(() -> this.acceptedAt.put(stack.send(key, query), System.nanoTime()),
					interval.toNanos() * i, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * The postbacks accepted so far, by id.
	 * @return id to {@link System#nanoTime()} when ingest answered
	 */
	public Map<String, Long> acceptedAt() {
		return this.acceptedAt;
	}

	/**
	 * A partner's delay for each of this stream's postbacks it received (by the
	 * {@code X-Postback-Id} header), from ingest's answer to the partner receiving it.
	 * @param partner the partner
	 * @return the delays in milliseconds, shortest first
	 */
	public List<Long> delaysMs(TestPartner partner) {
		List<Long> delays = new ArrayList<>();
		for (TestPartner.Received received : partner.received()) {
			Long accepted = this.acceptedAt.get(received.header("X-Postback-Id"));
			if (accepted != null) {
				delays.add(TimeUnit.NANOSECONDS.toMillis(received.nanoTime() - accepted));
			}
		}
		Collections.sort(delays);
		return delays;
	}

	/**
	 * A percentile of sorted values (nearest rank).
	 * @param sorted the values, shortest first
	 * @param percent the percentile, 1 to 100
	 * @return the value
	 */
	public static long percentile(List<Long> sorted, double percent) {
		return sorted.get((int) Math.ceil(sorted.size() * percent / 100) - 1);
	}

	@Override
	public void close() {
		this.platform.shutdownNow();
	}

}
