package io.postbackrelay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
 * Partners for the benchmark, each a path on one HTTP server: a latency, an error status,
 * or never answering. Records the first arrival of every delivery id and counts copies.
 */
final class PartnerSimulator implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService threads = Executors.newFixedThreadPool(64);

	private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

	private final Map<String, Arrival> firstArrivals = new ConcurrentHashMap<>();

	private final AtomicLong copies = new AtomicLong();

	private final CountDownLatch closed = new CountDownLatch(1);

	PartnerSimulator() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.threads);
		this.server.start();
	}

	String url(String partner) {
		this.behaviours.putIfAbsent(partner, new Behaviour(0, 200, false));
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/" + partner;
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

	void reset() {
		this.firstArrivals.clear();
		this.copies.set(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		long arrived = System.nanoTime();
		try (InputStream in = exchange.getRequestBody()) {
			in.readAllBytes();
		}
		String partner = exchange.getRequestURI().getPath().substring(1).split("/")[0];
		Behaviour behaviour = this.behaviours.getOrDefault(partner, new Behaviour(0, 200, false));
		try {
			if (behaviour.hang()) {
				this.closed.await(10, TimeUnit.MINUTES);
			}
			else if (behaviour.latencyMs() > 0) {
				Thread.sleep(behaviour.latencyMs());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (behaviour.status() / 100 == 2) {
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
		this.server.stop(0);
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
