package io.postbackrelay.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a source key is stored: only its SHA-256 hash is kept in {@code sources.keyHash}.
 */
public final class SourceKeys {

	/**
	 * Cloned for each hash: looking the algorithm up through the security providers cost
	 * more than the hash (ingest hashes the key of every postback it receives).
	 */
	private static final MessageDigest SHA_256;

	static {
		try {
			SHA_256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

	private SourceKeys() {
	}

	/**
	 * Hashes a source key.
	 * @param key the key as the platform sends it
	 * @return lower-case hex SHA-256 of the key's UTF-8 bytes
	 */
	public static String hash(String key) {
		try {
			MessageDigest digest = (MessageDigest) SHA_256.clone();
			return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("The JVM's SHA-256 cannot be cloned", ex);
		}
	}

}
