package io.postbackrelay.dispatcher.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PrivateTargetsTests {

	@ParameterizedTest(name = "{0} private: {1}")
	@CsvSource({ "127.0.0.1, true", "10.1.2.3, true", "172.16.0.1, true", "192.168.0.1, true", "169.254.169.254, true",
			"100.64.0.1, true", "0.0.0.0, true", "::1, true", "fe80::1, true", "fd00::1, true", "8.8.8.8, false",
			"93.184.216.34, false", "2606:4700::1111, false" })
	void classifiesAddresses(String address, boolean isPrivate) throws UnknownHostException {
		assertThat(PrivateTargets.isPrivate(InetAddress.getByName(address))).isEqualTo(isPrivate);
	}

	@ParameterizedTest
	@CsvSource({ "127.0.0.1", "10.0.0.1" })
	void hostResolvingOnlyToPrivateAddressesIsRefused(String address) {
		PrivateTargets dns = new PrivateTargets((host) -> List.of(InetAddress.getByName(address)));
		assertThatExceptionOfType(PrivateTargets.Refused.class).isThrownBy(() -> dns.lookup("partner.example"));
	}

}
