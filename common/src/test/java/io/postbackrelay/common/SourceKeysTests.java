package io.postbackrelay.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourceKeysTests {

	@Test
	void hashIsLowerCaseHexSha256OfTheUtf8Bytes() throws Exception {
		// FIPS 180-2's test vector for "abc"
		assertThat(SourceKeys.hash("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assertThat(SourceKeys.hash("pk_\u00e9")).isEqualTo(reference("pk_\u00e9"))
			.isNotEqualTo(SourceKeys.hash("pk_e"));
	}

	@Test
	void concurrentHashesShareNoState() throws Exception {
		List<String> keys = IntStream.range(0, 7).mapToObj((i) -> "pk_key-" + i).toList();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Boolean>> checks = IntStream.range(0, 4000)
				.mapToObj((i) -> keys.get(i % keys.size()))
				.map((key) -> pool.submit(() -> SourceKeys.hash(key).equals(reference(key))))
				.toList();
			for (Future<Boolean> check : checks) {
				assertThat(check.get()).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static String reference(String key) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
	}

}
