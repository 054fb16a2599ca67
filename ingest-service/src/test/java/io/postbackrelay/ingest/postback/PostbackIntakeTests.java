package io.postbackrelay.ingest.postback;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostbackIntakeTests {

	@Test
	void dedupeKeyPrefersTheTransactionIdOverTheClickId() {
		assertThat(PostbackIntake.dedupeKey("s", "t1", "c1", "ok"))
			.isEqualTo(PostbackIntake.dedupeKey("s", "t1", "c2", "ok"));
		assertThat(PostbackIntake.dedupeKey("s", null, "c1", "ok"))
			.isNotEqualTo(PostbackIntake.dedupeKey("s", null, "c2", "ok"));
	}

	@Test
	void dedupeKeysOfDifferentTriplesNeverCollide() {
		assertThat(PostbackIntake.dedupeKey("s", null, "a|1:b", null))
			.isNotEqualTo(PostbackIntake.dedupeKey("s", null, "a", "b"));
		assertThat(PostbackIntake.dedupeKey("s", "x", "c", null))
			.isNotEqualTo(PostbackIntake.dedupeKey("s", null, "x", null));
		assertThat(PostbackIntake.dedupeKey("s", null, "c", null))
			.isEqualTo(PostbackIntake.dedupeKey("s", null, "c", null));
	}

}
