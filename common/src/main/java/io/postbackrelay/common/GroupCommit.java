package io.postbackrelay.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit of writes: callers submit one item each, a writer thread takes whatever
 * has queued up (at most {@code maxBatch}) and writes it in one call, then completes each
 * caller's future with that item's result. Under light load a batch is one item and
 * nothing waits; under heavy load one round trip to the store serves many callers. Used
 * by ingest for {@code received_postbacks} and by the dispatcher for
 * {@code partner_postback_logs}.
 *
 * @param <T> what is written
 * @param <R> the result of writing one item
 */
public final class GroupCommit<T, R> implements AutoCloseable {

	private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();

	private final Function<List<T>, List<R>> write;

	private final int maxBatch;

	private final Thread writer;

	private volatile boolean closed;

	/**
	 * Starts the writer thread.
	 * @param name the writer thread's name
	 * @param maxBatch most items written in one call
	 * @param write writes a batch and returns one result per item, in order; when it
	 * throws, every item of the batch fails with that exception
	 */
	public GroupCommit(String name, int maxBatch, Function<List<T>, List<R>> write) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be at least 1");
		}
		this.write = write;
		this.maxBatch = maxBatch;
		this.writer = new Thread(this::run, name);
		this.writer.setDaemon(true);
		this.writer.start();
	}

	/**
	 * Queues an item for the next batch.
	 * @param item the item
	 * @return completed with the item's result once its batch is written, or failed with
	 * what the write threw
	 */
	public CompletableFuture<R> submit(T item) {
		Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
		if (this.closed) {
			pending.result().completeExceptionally(new IllegalStateException(this.writer.getName() + " is closed"));
			return pending.result();
		}
		this.queue.add(pending);
		return pending.result();
	}

	private void run() {
		List<Pending<T, R>> batch = new ArrayList<>(this.maxBatch);
		while (!this.closed || !this.queue.isEmpty()) {
			try {
				Pending<T, R> first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, this.maxBatch - 1);
				commit(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				batch.clear();
			}
		}
	}

	private void commit(List<Pending<T, R>> batch) {
		List<R> results;
		try {
			results = this.write.apply(batch.stream().map(Pending::item).toList());
			if (results.size() != batch.size()) {
				throw new IllegalStateException(
						"Write returned " + results.size() + " results for " + batch.size() + " items");
			}
		}
		catch (RuntimeException | Error ex) {
			batch.forEach((pending) -> pending.result().completeExceptionally(ex));
			return;
		}
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).result().complete(results.get(i));
		}
	}

	/**
	 * Writes what is queued, waiting at most the given time, then stops the writer. Items
	 * still queued after that fail.
	 * @param timeout how long to wait for the queue to be written
	 */
	public void close(Duration timeout) {
		this.closed = true;
		try {
			this.writer.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		IllegalStateException closed = new IllegalStateException(this.writer.getName() + " is closed");
		for (Pending<T, R> left = this.queue.poll(); left != null; left = this.queue.poll()) {
			left.result().completeExceptionally(closed);
		}
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(30));
	}

	private record Pending<T, R>(T item, CompletableFuture<R> result) {
	}

}
