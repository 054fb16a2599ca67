package io.postbackrelay.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CidrBlockTests {

	@ParameterizedTest(name = "{0} contains {1}: {2}")
	@CsvSource({ "10.0.0.0/8, 10.255.1.2, true", "10.0.0.0/8, 11.0.0.1, false", "192.168.1.0/25, 192.168.1.127, true",
			"192.168.1.0/25, 192.168.1.128, false", "203.0.113.7, 203.0.113.7, true", "203.0.113.7, 203.0.113.8, false",
			"0.0.0.0/0, 8.8.8.8, true", "2001:db8::/32, 2001:db8:1::5, true", "2001:db8::/32, 2001:db9::1, false",
			"10.0.0.0/8, 2001:db8::1, false", "10.0.0.0/8, not-an-address, false" })
	void matchesAddressesInsideTheBlockOnly(String cidr, String address, boolean expected) {
		assertThat(CidrBlock.parse(cidr).contains(address)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "example.com", "", "10.0.0.0/8/8" })
	void refusesWhatIsNotAnAddressLiteralWithAValidPrefix(String cidr) {
		assertThatIllegalArgumentException().isThrownBy(() -> CidrBlock.parse(cidr));
	}

	@Test
	void malformedBlockMatchesNothingInsteadOfFailingTheRequest() {
		assertThat(CidrBlock.matches("garbage", "10.0.0.1")).isFalse();
	}

}
