package io.postbackrelay.dispatcher.delivery;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.dispatcher.system.DispatcherProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class PartnerPaceTests {

	private final PartnerPace pace = new PartnerPace(new Binder(new MapConfigurationPropertySource(
			Map.of("relay.dispatcher.delivery.hold", "500ms", "relay.dispatcher.delivery.min-hold", "50ms")))
		.bindOrCreate("relay.dispatcher", DispatcherProperties.class));

	@Test
	void aPartnerNotHeardFromYetGetsTheLongestHold() {
		assertThat(this.pace.hold("new")).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void theHoldIsFourTimesTheUsualAnswerTimeWithinTheBounds() {
		answer("fast", 2);
		answer("usual", 60);
		answer("slow", 300);
		assertThat(this.pace.hold("fast")).isEqualTo(Duration.ofMillis(50));
		assertThat(this.pace.hold("usual").toMillis()).isBetween(240L, 260L);
		assertThat(this.pace.hold("slow")).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void byDefaultAFastPartnerIsHeld25Milliseconds() {
		PartnerPace defaults = new PartnerPace(new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("relay.dispatcher", DispatcherProperties.class));
		answer(defaults, "fast", 2);
		answer(defaults, "usual", 60);
		assertThat(defaults.hold("new")).isEqualTo(Duration.ofMillis(500));
		assertThat(defaults.hold("fast")).isEqualTo(Duration.ofMillis(25));
		assertThat(defaults.hold("usual").toMillis()).isBetween(240L, 260L);
	}

	@Test
	void failedCallsDoNotCountAsAnswers() {
		answer("p", 2);
		CompletableFuture<Object> call = new CompletableFuture<>();
		this.pace.track("p", System.nanoTime() - millis(10_000), call);
		call.completeExceptionally(new InterruptedIOException("timeout"));
		assertThat(this.pace.hold("p")).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void aPartnerThatStoppedAnsweringIsStalledUntilTheCallEnds() {
		answer("p", 2);
		long sent = System.nanoTime();
		CompletableFuture<Object> hanging = new CompletableFuture<>();
		this.pace.track("p", sent, hanging);

		assertThat(this.pace.handedOn("p", sent, hanging)).isZero();
		assertThat(this.pace.stalled("p")).isTrue();
		hanging.completeExceptionally(new InterruptedIOException("timeout"));
		assertThat(this.pace.stalled("p")).isFalse();
	}

	@Test
	void aSlowCallWhileThePartnerAnswersOthersIsHandedOnAlone() {
		answer("p", 2);
		long sent = System.nanoTime();
		CompletableFuture<Object> slow = new CompletableFuture<>();
		this.pace.track("p", sent, slow);
		// a call sent with it answered meanwhile
		answer("p", 0);

		Duration untilLongest = this.pace.handedOn("p", sent, slow);
		assertThat(this.pace.stalled("p")).isFalse();
		assertThat(untilLongest).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
		// still in flight after the longest hold: stalled after all, until it ends
		this.pace.outlasted("p", slow);
		assertThat(this.pace.stalled("p")).isTrue();
		slow.complete("200");
		assertThat(this.pace.stalled("p")).isFalse();
		// a call that ended before the longest hold stalls nothing
		this.pace.outlasted("p", slow);
		assertThat(this.pace.stalled("p")).isFalse();
	}

	@Test
	void aCallInFlightLongerThanTheLongestHoldStallsThePartnerEvenWhileOthersAnswer() {
		answer("p", 2);
		long sent = System.nanoTime() - millis(600);
		CompletableFuture<Object> slow = new CompletableFuture<>();
		this.pace.track("p", sent, slow);
		answer("p", 0);
		assertThat(this.pace.handedOn("p", sent, slow)).isZero();
		assertThat(this.pace.stalled("p")).isTrue();
	}

	/** A call to the partner that answered after the given time. */
	private void answer(String partnerId, long tookMillis) {
		answer(this.pace, partnerId, tookMillis);
	}

	private static void answer(PartnerPace pace, String partnerId, long tookMillis) {
		CompletableFuture<Object> call = new CompletableFuture<>();
		pace.track(partnerId, System.nanoTime() - millis(tookMillis), call);
		call.complete("200");
	}

	private static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
