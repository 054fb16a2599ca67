package io.postbackrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A partner endpoint for tests: a real HTTP server (MockWebServer) that records every
 * request and answers as the test scripts it: a status, a sequence, or never.
 */
public final class TestPartner implements AutoCloseable {

	private final MockWebServer server = new MockWebServer();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile Function<Integer, MockResponse> answers = (count) -> status(200);

	/**
	 * Starts a partner that answers 200.
	 */
	public TestPartner() {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				TestPartner.this.received.add(new Received(request, System.nanoTime()));
				return TestPartner.this.answers.apply(TestPartner.this.received.size());
			}

		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Answers every request with a status.
	 * @param status the HTTP status
	 * @return this partner
	 */
	public TestPartner answering(int status) {
		return answering((count) -> status(status));
	}

	/**
	 * Answers the n-th request (from 1) as the function says.
	 * @param answers the answer of each request
	 * @return this partner
	 */
	public TestPartner answering(Function<Integer, MockResponse> answers) {
		this.answers = answers;
		return this;
	}

	/**
	 * Never answers: each request hangs until the caller gives up or the partner closes.
	 * @return this partner
	 */
	public TestPartner hanging() {
		return answering((count) -> {
			try {
				this.closed.await(5, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return status(503);
		});
	}

	/**
	 * A response with a status and a short body.
	 * @param status the HTTP status
	 * @return the response
	 */
	public static MockResponse status(int status) {
		return new MockResponse.Builder().code(status).body("status " + status).build();
	}

	/**
	 * The URL of a path on this partner.
	 * @param path the path and query
	 * @return an absolute URL
	 */
	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getPort() + path;
	}

	/**
	 * Every request received so far.
	 * @return the requests, in arrival order
	 */
	public List<Received> received() {
		return List.copyOf(this.received);
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.server.close();
	}

	/**
	 * One request a partner received.
	 *
	 * @param request what was sent
	 * @param nanoTime when it arrived, by {@link System#nanoTime()}
	 */
	public record Received(RecordedRequest request, long nanoTime) {

		/**
		 * A request header.
		 * @param name the header name
		 * @return its value, or {@code null}
		 */
		public String header(String name) {
			return this.request.getHeaders().get(name);
		}

		/**
		 * A query parameter.
		 * @param name the parameter name
		 * @return its value, or {@code null}
		 */
		public String query(String name) {
			return this.request.getUrl().queryParameter(name);
		}

		/**
		 * The request body as UTF-8 text.
		 * @return the body, empty if none
		 */
		public String body() {
			return (this.request.getBody() != null) ? this.request.getBody().utf8() : "";
		}

	}

}
