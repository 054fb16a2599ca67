package io.postbackrelay.dispatcher.delivery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import okhttp3.Dns;

/**
 * Resolves partner host names and refuses private, loopback, link-local and other
 * non-public addresses, so a partner URL cannot reach into our own network. Checked at
 * connect time, so a name that later resolves elsewhere is caught too.
 */
final class PrivateTargets implements Dns {

	private final Dns delegate;

	PrivateTargets(Dns delegate) {
		this.delegate = delegate;
	}

	@Override
	public List<InetAddress> lookup(String hostname) throws UnknownHostException {
		List<InetAddress> addresses = this.delegate.lookup(hostname);
		List<InetAddress> allowed = addresses.stream().filter((address) -> !isPrivate(address)).toList();
		if (allowed.isEmpty()) {
			throw new Refused(hostname);
		}
		return allowed;
	}

	static boolean isPrivate(InetAddress address) {
		if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			// fc00::/7, unique local addresses
			return (bytes[0] & 0xFE) == 0xFC;
		}
		// 100.64.0.0/10 carrier-grade NAT and 0.0.0.0/8
		return ((bytes[0] & 0xFF) == 100 && (bytes[1] & 0xC0) == 64) || bytes[0] == 0;
	}

	/**
	 * The partner's host resolves only to refused addresses.
	 */
	static final class Refused extends UnknownHostException {

		Refused(String hostname) {
			super("Partner host " + hostname + " resolves only to private, loopback or link-local addresses,"
					+ " which are refused (relay.dispatcher.delivery.allow-private-targets)");
		}

	}

}
