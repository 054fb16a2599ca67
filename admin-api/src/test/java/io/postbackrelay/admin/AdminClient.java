package io.postbackrelay.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls a running admin-api over real HTTP with a bearer token.
 */
final class AdminClient {

	static final String VIEWER = "viewer-token-for-tests";

	static final String OPERATOR = "operator-token-for-tests";

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String base;

	AdminClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	HttpResponse<String> call(String method, String path, String token, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	JsonNode get(String path) {
		return ok(call("GET", path, VIEWER, null));
	}

	JsonNode post(String path, String body) {
		return ok(call("POST", path, OPERATOR, body));
	}

	JsonNode json(HttpResponse<String> response) {
		return this.json.readTree(response.body());
	}

	private JsonNode ok(HttpResponse<String> response) {
		if (response.statusCode() / 100 != 2) {
			throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
		}
		return json(response);
	}

}
