package io.postbackrelay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Partners for the benchmark, each an HTTP server of its own: a latency, an error status,
 * or never answering. Records the first arrival of every delivery id and counts copies.
 */
final class PartnerSimulator implements AutoCloseable {

	/**
	 * One server per partner, as partners are separate hosts: on one shared address a
	 * hanging partner's calls can take the kept-alive connections the healthy partners'
	 * calls left idle (a client pools connections per address), and the healthy calls
	 * then open new ones.
	 */
	private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();

	/** Unbounded: calls a hanging partner holds must never starve the others. */
	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

	private final Map<String, Arrival> firstArrivals = new ConcurrentHashMap<>();

	private final AtomicLong copies = new AtomicLong();

	private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	String url(String partner) {
		this.behaviours.putIfAbsent(partner, new Behaviour(0, 200, false));
		HttpServer server = this.servers.computeIfAbsent(partner, (name) -> start());
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + partner;
	}

	private HttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
			server.createContext("/", this::handle);
			server.setExecutor(this.threads);
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void behave(String partner, Behaviour behaviour) {
		this.behaviours.put(partner, behaviour);
	}

	Map<String, Arrival> arrivals() {
		return Map.copyOf(this.firstArrivals);
	}

	long copies() {
		return this.copies.get();
	}

	/**
	 * Postbacks a partner received under more than one delivery id, which a partner
	 * de-duplicating by delivery id would count twice.
	 * @return how many (partner, postback) pairs arrived with different delivery ids
	 */
	long underSeveralIds() {
		Map<String, Long> ids = new HashMap<>();
		this.firstArrivals.values()
			.forEach((arrival) -> ids.merge(arrival.partner() + "/" + arrival.postbackId(), 1L, Long::sum));
		return ids.values().stream().filter((count) -> count > 1).count();
	}

	void reset() {
		this.firstArrivals.clear();
		this.copies.set(0);
		this.calls.clear();
	}

	/**
	 * Calls a partner got since the last reset, whatever it answered.
	 * @param partner the partner
	 * @return the number of calls
	 */
	long calls(String partner) {
		AtomicLong count = this.calls.get(partner);
		return (count != null) ? count.get() : 0;
	}

	private void handle(HttpExchange exchange) throws IOException {
		long arrived = System.nanoTime();
		try (InputStream in = exchange.getRequestBody()) {
			in.readAllBytes();
		}
		String partner = exchange.getRequestURI().getPath().substring(1).split("/")[0];
		Behaviour behaviour = this.behaviours.getOrDefault(partner, new Behaviour(0, 200, false));
		this.calls.computeIfAbsent(partner, (name) -> new AtomicLong()).incrementAndGet();
		try {
			if (behaviour.hang()) {
				// longer than any partner timeout of the benchmark; the caller gave up by
				// then
				this.closed.await(30, TimeUnit.SECONDS);
			}
			else if (behaviour.latencyMs() > 0) {
				Thread.sleep(behaviour.latencyMs());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// a hanging partner's late answer reaches no one: the dispatcher gave up on it
		if (behaviour.status() / 100 == 2 && !behaviour.hang()) {
			String deliveryId = exchange.getRequestHeaders().getFirst("X-Delivery-Id");
			String postbackId = exchange.getRequestHeaders().getFirst("X-Postback-Id");
			if (this.firstArrivals.putIfAbsent(deliveryId, new Arrival(partner, postbackId, arrived)) != null) {
				this.copies.incrementAndGet();
			}
		}
		exchange.sendResponseHeaders(behaviour.status(), -1);
		exchange.close();
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.servers.values().forEach((server) -> server.stop(0));
		this.threads.shutdownNow();
	}

	/**
	 * How a simulated partner answers.
	 *
	 * @param latencyMs how long it takes
	 * @param status what it answers
	 * @param hang whether it never answers
	 */
	record Behaviour(int latencyMs, int status, boolean hang) {

		/** A partner that takes every call and never answers. */
		static Behaviour hanging() {
			return new Behaviour(0, 200, true);
		}

	}

	/**
	 * The first arrival of a delivery.
	 *
	 * @param partner the partner path
	 * @param postbackId the postback delivered
	 * @param nanoTime when, by {@link System#nanoTime()}
	 */
	record Arrival(String partner, String postbackId, long nanoTime) {
	}

}
