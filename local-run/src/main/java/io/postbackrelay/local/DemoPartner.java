package io.postbackrelay.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A built-in partner endpoint for the local run: answers 200 and prints every postback it
 * receives, so a newcomer sees the relay deliver.
 */
final class DemoPartner implements AutoCloseable {

	private final HttpServer server;

	private final PrintStream out;

	private final List<String> received = new CopyOnWriteArrayList<>();

	DemoPartner(int port, PrintStream out) throws IOException {
		this.out = out;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(Executors.newFixedThreadPool(4));
		this.server.start();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	List<String> received() {
		return List.copyOf(this.received);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		String line = "[demo partner] " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
				+ (body.isEmpty() ? "" : " " + body) + "  (delivery "
				+ exchange.getRequestHeaders().getFirst("X-Delivery-Id") + ")";
		this.received.add(line);
		this.out.println(line);
		byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(200, answer.length);
		exchange.getResponseBody().write(answer);
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
