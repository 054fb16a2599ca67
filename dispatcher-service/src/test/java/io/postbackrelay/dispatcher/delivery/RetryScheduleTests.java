package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.List;

import io.postbackrelay.dispatcher.system.DispatcherProperties;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTests {

	private final RetrySchedule schedule = new RetrySchedule(
			new DispatcherProperties.Retry(List.of(Duration.ofSeconds(5), Duration.ofSeconds(30)), 0.2, 4));

	@Test
	void pauseIsTheScheduledOnePlusAtMostTheJitter() {
		for (int i = 0; i < 100; i++) {
			assertThat(this.schedule.pauseAfter(1, null)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
			assertThat(this.schedule.pauseAfter(2, null)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(36));
		}
	}

	@Test
	void retryAfterIsHonouredUpToItsBound() {
		assertThat(this.schedule.pauseAfter(1, Duration.ofSeconds(12))).isEqualTo(Duration.ofSeconds(12));
		assertThat(this.schedule.pauseAfter(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(20));
		assertThat(this.schedule.pauseAfter(1, Duration.ofSeconds(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void backOffListsThePlainPausesThenStops() {
		BackOffExecution execution = this.schedule.start();
		assertThat(execution.nextBackOff()).isEqualTo(5000);
		assertThat(execution.nextBackOff()).isEqualTo(30000);
		assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
		assertThat(this.schedule.retries()).isEqualTo(2);
	}

}
