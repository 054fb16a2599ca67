package io.postbackrelay.ingest.postback;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Pattern;

import io.postbackrelay.ingest.system.IngestProperties;

import org.springframework.stereotype.Component;

/**
 * The validation rules a postback must pass before it is stored: names safe for MongoDB
 * and URLs, bounded sizes, a click id, and a non-negative decimal payout.
 */
@Component
class PostbackRules {

	static final String CLICK_ID = "click_id";

	static final String PAYOUT = "payout";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

	private final IngestProperties.Limits limits;

	PostbackRules(IngestProperties properties) {
		this.limits = properties.limits();
	}

	void check(Map<String, String> parameters) {
		if (parameters.size() > this.limits.maxParameters()) {
			throw new InvalidPostback(null,
					"Too many parameters: " + parameters.size() + " (at most " + this.limits.maxParameters() + ")");
		}
		parameters.forEach(this::checkParameter);
		String clickId = parameters.get(CLICK_ID);
		if (clickId == null || clickId.isBlank()) {
			throw new InvalidPostback(CLICK_ID, "Parameter 'click_id' is required");
		}
		String payout = parameters.get(PAYOUT);
		if (payout != null && !payout.isEmpty()) {
			payout(payout);
		}
	}

	private void checkParameter(String name, String value) {
		if (name.length() > this.limits.maxNameLength()) {
			throw new InvalidPostback(abbreviate(name),
					"Parameter name is longer than " + this.limits.maxNameLength() + " characters");
		}
		if (!NAME.matcher(name).matches()) {
			throw new InvalidPostback(abbreviate(name),
					"Parameter name '" + abbreviate(name) + "' may hold only letters, digits, '_' and '-'");
		}
		if (value.length() > this.limits.maxValueLength()) {
			throw new InvalidPostback(name,
					"Parameter '" + name + "' is longer than " + this.limits.maxValueLength() + " characters");
		}
	}

	/**
	 * Parses a payout that passed {@link #check}.
	 * @param text the payout text
	 * @return the payout as a decimal
	 */
	static BigDecimal payout(String text) {
		BigDecimal payout;
		try {
			payout = new BigDecimal(text.strip());
		}
		catch (NumberFormatException ex) {
			throw new InvalidPostback(PAYOUT,
					"Parameter 'payout' must be a decimal number, not '" + abbreviate(text) + "'");
		}
		if (payout.signum() < 0) {
			throw new InvalidPostback(PAYOUT, "Parameter 'payout' must not be negative");
		}
		if (payout.precision() > 34 || payout.scale() > 10 || payout.scale() < -10) {
			throw new InvalidPostback(PAYOUT, "Parameter 'payout' has too many digits");
		}
		return payout;
	}

	static String abbreviate(String text) {
		return (text.length() <= 64) ? text : text.substring(0, 64) + "...";
	}

}
