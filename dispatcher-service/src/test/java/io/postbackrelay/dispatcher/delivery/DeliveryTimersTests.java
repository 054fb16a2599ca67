package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTimersTests {

	@Test
	void manyTimersRunAfterTheirDelayOnOneThread() throws Exception {
		DeliveryTimers timers = new DeliveryTimers();
		try {
			int count = 500;
			CountDownLatch ran = new CountDownLatch(count);
			Set<String> threads = ConcurrentHashMap.newKeySet();
			AtomicLong earliest = new AtomicLong(Long.MAX_VALUE);
			long scheduled = System.nanoTime();
			for (int i = 0; i < count; i++) {
				timers.after(Duration.ofMillis(50)).execute(() -> {
					earliest.accumulateAndGet(System.nanoTime() - scheduled, Math::min);
					threads.add(Thread.currentThread().getName());
					ran.countDown();
				});
			}
			assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(Duration.ofNanos(earliest.get())).isGreaterThanOrEqualTo(Duration.ofMillis(50));
			// CompletableFuture.delayedExecutor would use a new thread per task on 2
			// cores
			assertThat(threads).containsExactly("delivery-timers");
		}
		finally {
			timers.destroy();
		}
	}

}
