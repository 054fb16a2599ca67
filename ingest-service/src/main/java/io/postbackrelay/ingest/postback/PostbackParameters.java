package io.postbackrelay.ingest.postback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.postbackrelay.ingest.system.IngestProperties;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Reads a postback's parameters from the query string and the body (form or flat JSON);
 * on a clash the body wins, and a repeated name keeps its last value.
 */
@Component
class PostbackParameters {

	private final ObjectReader json;

	private final long maxBodySize;

	PostbackParameters(ObjectMapper json, IngestProperties properties) {
		this.json = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
		this.maxBodySize = properties.limits().maxBodySize().toBytes();
	}

	Map<String, String> read(HttpServletRequest request) throws IOException {
		Map<String, String> parameters = new LinkedHashMap<>();
		parseUrlEncoded(request.getQueryString(), parameters);
		byte[] body = body(request);
		if (body.length > 0) {
			readBody(request.getContentType(), body, parameters);
		}
		return parameters;
	}

	private byte[] body(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > this.maxBodySize) {
			throw new PostbackTooLarge(this.maxBodySize);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) this.maxBodySize + 1);
			if (body.length > this.maxBodySize) {
				throw new PostbackTooLarge(this.maxBodySize);
			}
			return body;
		}
	}

	private void readBody(String contentType, byte[] body, Map<String, String> parameters) {
		MediaType type = mediaType(contentType);
		if (MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
			parseUrlEncoded(new String(body, StandardCharsets.UTF_8), parameters);
		}
		else if (MediaType.APPLICATION_JSON.includes(type) || type.getSubtype().endsWith("+json")) {
			parseJson(body, parameters);
		}
		else {
			throw new UnsupportedPostbackBody(contentType);
		}
	}

	private static MediaType mediaType(String contentType) {
		try {
			return (contentType != null) ? MediaType.parseMediaType(contentType) : MediaType.APPLICATION_OCTET_STREAM;
		}
		catch (IllegalArgumentException ex) {
			throw new UnsupportedPostbackBody(contentType);
		}
	}

	private static void parseUrlEncoded(String text, Map<String, String> parameters) {
		if (text == null || text.isEmpty()) {
			return;
		}
		for (String pair : text.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
			parameters.put(name, value);
		}
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPostback(null, "Malformed percent-encoding in '" + PostbackRules.abbreviate(text) + "'");
		}
	}

	private void parseJson(byte[] body, Map<String, String> parameters) {
		JsonNode root;
		try {
			root = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidPostback(null, "Body is not valid JSON");
		}
		if (root == null || !root.isObject()) {
			throw new InvalidPostback(null, "JSON body must be an object of parameters");
		}
		for (Map.Entry<String, JsonNode> field : root.properties()) {
			JsonNode value = field.getValue();
			if ((value.isObject() || value.isArray())) {
				throw new InvalidPostback(field.getKey(), "Parameter '" + PostbackRules.abbreviate(field.getKey())
						+ "' must be a string, number or boolean, not an object or array");
			}
			parameters.put(field.getKey(), value.isNull() ? "" : value.asString());
		}
	}

}
