package io.postbackrelay.admin.partner;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A partner as an admin creates or replaces it.
 *
 * @param name its name
 * @param email its contact address
 * @param postbackUrl an absolute http(s) URL, placeholders allowed
 * @param method GET or POST
 * @param active whether it receives postbacks (default true)
 * @param rules which postbacks it receives (default all)
 * @param signingSecret a Standard Webhooks secret, or none
 * @param timeoutMs call timeout, 100 to 30000 ms, or none for the default
 */
record PartnerForm(@NotBlank @Size(max = 100) String name, @NotBlank @Email @Size(max = 200) String email,
		@NotBlank @Size(max = 2000) String postbackUrl,
		@NotBlank @Pattern(regexp = "GET|POST", message = "must be GET or POST") String method, Boolean active,
		@Valid RulesForm rules, @Size(max = 200) String signingSecret, @Min(100) @Max(30000) Integer timeoutMs) {

	/**
	 * Rules as an admin sends them.
	 *
	 * @param statuses statuses
	 * @param offerIds offer ids
	 * @param sourceIds source ids
	 */
	record RulesForm(@Size(max = 100) List<@NotBlank String> statuses,
			@Size(max = 1000) List<@NotBlank String> offerIds, @Size(max = 1000) List<@NotBlank String> sourceIds) {
	}

}
