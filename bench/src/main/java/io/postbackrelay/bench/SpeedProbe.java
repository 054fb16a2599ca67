package io.postbackrelay.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * A fixed piece of work on one thread, timed: how fast this machine was at that moment.
 * The same code ran at very different speeds on the same shared machine from one run to
 * the next; the probe lets a reader compare runs.
 */
final class SpeedProbe {

	private static final int ROUNDS = 5;

	private SpeedProbe() {
	}

	/**
	 * Hashes 64 MB with SHA-256, best of 5 rounds.
	 * @return the best round's time in milliseconds
	 */
	static double millis() {
		byte[] data = new byte[8 << 20];
		new SplittableRandom(1).nextBytes(data);
		MessageDigest sha;
		try {
			sha = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
		double best = Double.MAX_VALUE;
		for (int round = 0; round < ROUNDS; round++) {
			long started = System.nanoTime();
			for (int i = 0; i < 8; i++) {
				sha.update(data);
			}
			sha.digest();
			best = Math.min(best, (System.nanoTime() - started) / 1e6);
		}
		return best;
	}

}
