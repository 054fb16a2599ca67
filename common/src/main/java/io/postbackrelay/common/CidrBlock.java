package io.postbackrelay.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation; a bare address is a range of one.
 * Shared because admin-api validates the ranges that ingest then matches.
 *
 * @param network the network address
 * @param prefixLength the prefix length in bits
 */
public record CidrBlock(byte[] network, int prefixLength) {

	private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

	/**
	 * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address.
	 * @param text the CIDR text
	 * @return the block
	 * @throws IllegalArgumentException if it is not an address literal with a valid
	 * prefix
	 */
	public static CidrBlock parse(String text) {
		String trimmed = text.strip();
		int slash = trimmed.indexOf('/');
		byte[] network = address((slash >= 0) ? trimmed.substring(0, slash) : trimmed);
		int maxPrefix = network.length * 8;
		int prefix = maxPrefix;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(trimmed.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("Invalid CIDR prefix in '" + text + "'");
			}
		}
		if (prefix < 0 || prefix > maxPrefix) {
			throw new IllegalArgumentException("Invalid CIDR prefix in '" + text + "'");
		}
		return new CidrBlock(network, prefix);
	}

	/**
	 * Whether an address lies in a block given as text; a malformed block matches
	 * nothing.
	 * @param cidr the CIDR text
	 * @param address an address literal
	 * @return {@code true} if the block is valid and contains the address
	 */
	public static boolean matches(String cidr, String address) {
		try {
			return parse(cidr).contains(address);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Whether an address lies in this block.
	 * @param address an address literal
	 * @return {@code true} if it matches; {@code false} for another family or a
	 * non-literal
	 */
	public boolean contains(String address) {
		byte[] candidate;
		try {
			candidate = address(address);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (candidate.length != this.network.length) {
			return false;
		}
		int fullBytes = this.prefixLength / 8;
		for (int i = 0; i < fullBytes; i++) {
			if (candidate[i] != this.network[i]) {
				return false;
			}
		}
		int remainingBits = this.prefixLength % 8;
		if (remainingBits == 0) {
			return true;
		}
		int mask = (0xFF << (8 - remainingBits)) & 0xFF;
		return (candidate[fullBytes] & mask) == (this.network[fullBytes] & mask);
	}

	private static byte[] address(String literal) {
		// only literals: InetAddress would otherwise resolve a host name over DNS
		if (literal.isEmpty() || !LITERAL.matcher(literal).matches()) {
			throw new IllegalArgumentException("Not an IP address: '" + literal + "'");
		}
		try {
			return InetAddress.getByName(literal).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not an IP address: '" + literal + "'");
		}
	}

}
