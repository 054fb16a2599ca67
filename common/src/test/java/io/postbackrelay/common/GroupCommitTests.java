package io.postbackrelay.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GroupCommitTests {

	@Test
	void itemsQueuedWhileAWriteRunsGoInTheNextBatchUpToTheLimit() throws Exception {
		List<List<Integer>> batches = new CopyOnWriteArrayList<>();
		CountDownLatch firstWriteStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try (GroupCommit<Integer, String> commit = new GroupCommit<>("test-writer", 3, (items) -> {
			batches.add(items);
			firstWriteStarted.countDown();
			await(release);
			return items.stream().map((item) -> "w" + item).toList();
		})) {
			CompletableFuture<String> first = commit.submit(0);
			assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
			List<CompletableFuture<String>> more = new ArrayList<>();
			for (int i = 1; i <= 5; i++) {
				more.add(commit.submit(i));
			}
			release.countDown();
			assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("w0");
			for (int i = 1; i <= 5; i++) {
				assertThat(more.get(i - 1).get(5, TimeUnit.SECONDS)).isEqualTo("w" + i);
			}
		}
		assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3), List.of(4, 5));
	}

	@Test
	void aFailedWriteFailsEveryItemOfItsBatchAndTheWriterGoesOn() throws Exception {
		try (GroupCommit<String, String> commit = new GroupCommit<>("test-writer", 10, (items) -> {
			if (items.contains("bad")) {
				throw new IllegalStateException("store down");
			}
			return items;
		})) {
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> commit.submit("bad").get(5, TimeUnit.SECONDS))
				.withRootCauseInstanceOf(IllegalStateException.class)
				.withMessageContaining("store down");
			assertThat(commit.submit("good").get(5, TimeUnit.SECONDS)).isEqualTo("good");
		}
	}

	@Test
	void aWriteReturningTheWrongNumberOfResultsFailsTheBatch() {
		try (GroupCommit<String, String> commit = new GroupCommit<>("test-writer", 10, (items) -> List.of())) {
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> commit.submit("a").get(5, TimeUnit.SECONDS))
				.withMessageContaining("0 results for 1 items");
		}
	}

	@Test
	void closeWritesWhatIsQueuedAndLaterSubmissionsFail() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		List<String> written = new CopyOnWriteArrayList<>();
		GroupCommit<String, String> commit = new GroupCommit<>("test-writer", 10, (items) -> {
			await(release);
			written.addAll(items);
			return items;
		});
		CompletableFuture<String> first = commit.submit("a");
		CompletableFuture<String> second = commit.submit("b");
		release.countDown();
		commit.close(Duration.ofSeconds(5));
		assertThat(first).isCompletedWithValue("a");
		assertThat(second).isCompletedWithValue("b");
		assertThat(written).containsExactly("a", "b");
		assertThat(commit.submit("c")).isCompletedExceptionally();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
