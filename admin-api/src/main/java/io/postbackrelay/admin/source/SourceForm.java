package io.postbackrelay.admin.source;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A source as an admin creates or changes it.
 *
 * @param name its name
 * @param active whether it may post (default true)
 * @param allowedIps CIDRs or addresses it may post from; empty means anywhere
 */
record SourceForm(@NotBlank @Size(max = 100) String name, Boolean active,
		@Size(max = 100) List<@NotBlank String> allowedIps) {
}
