package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The deliveries' timers (an attempt's hold, a hand-off sent again), on one thread of
 * their own. {@code CompletableFuture.delayedExecutor} without an executor would run each
 * timer on a new thread on a machine with fewer than three cores, where the common pool
 * is not used: hundreds of threads started per second under load.
 */
@Component
class DeliveryTimers implements DisposableBean {

	private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "delivery-timers");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * An executor that runs each task once the delay has passed.
	 * @param delay how long to wait
	 * @return the executor
	 */
	Executor after(Duration delay) {
		return (task) -> this.timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void destroy() {
		this.timers.shutdownNow();
	}

}
