package io.postbackrelay.admin.source;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.postbackrelay.admin.system.BadRequest;
import io.postbackrelay.admin.system.NotFound;
import io.postbackrelay.common.CidrBlock;
import io.postbackrelay.common.SourceKeys;
import jakarta.validation.Valid;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/admin/sources}: the platforms allowed to post. A key is returned once, when
 * it is created or rotated; only its hash is stored.
 */
@RestController
@RequestMapping("/api/admin/sources")
class SourceController {

	private static final SecureRandom random = new SecureRandom();

	private final MongoTemplate mongo;

	private final Clock clock;

	SourceController(MongoTemplate mongo, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
	}

	@GetMapping
	List<SourceView> list() {
		return this.mongo.find(new Query().with(Sort.by("name")), Source.class)
			.stream()
			.map((source) -> SourceView.of(source, null))
			.toList();
	}

	@GetMapping("/{id}")
	SourceView get(@PathVariable String id) {
		return SourceView.of(find(id), null);
	}

	@PostMapping
	ResponseEntity<SourceView> create(@Valid @RequestBody SourceForm form) {
		String key = newKey();
		Instant now = this.clock.instant();
		Source source = this.mongo.insert(new Source("src-" + UUID.randomUUID(), form.name().strip(),
				SourceKeys.hash(key), prefix(key), form.active() == null || form.active(), allowedIps(form), now, now));
		return ResponseEntity.created(URI.create("/api/admin/sources/" + source.id())).body(SourceView.of(source, key));
	}

	@PutMapping("/{id}")
	SourceView update(@PathVariable String id, @Valid @RequestBody SourceForm form) {
		Source existing = find(id);
		Source updated = new Source(id, form.name().strip(), existing.keyHash(), existing.keyPrefix(),
				(form.active() != null) ? form.active() : existing.active(), allowedIps(form), existing.createdAt(),
				this.clock.instant());
		return SourceView.of(this.mongo.save(updated), null);
	}

	@PostMapping("/{id}/deactivate")
	SourceView deactivate(@PathVariable String id) {
		Source existing = find(id);
		return SourceView.of(this.mongo.save(new Source(id, existing.name(), existing.keyHash(), existing.keyPrefix(),
				false, existing.allowedIps(), existing.createdAt(), this.clock.instant())), null);
	}

	/**
	 * Replaces the key; the old one stops working within ingest's source cache time.
	 */
	@PostMapping("/{id}/rotate-key")
	SourceView rotateKey(@PathVariable String id) {
		Source existing = find(id);
		String key = newKey();
		Source rotated = new Source(id, existing.name(), SourceKeys.hash(key), prefix(key), existing.active(),
				existing.allowedIps(), existing.createdAt(), this.clock.instant());
		return SourceView.of(this.mongo.save(rotated), key);
	}

	private Source find(String id) {
		Source source = this.mongo.findById(id, Source.class);
		if (source == null) {
			throw new NotFound("Source " + id);
		}
		return source;
	}

	private static List<String> allowedIps(SourceForm form) {
		List<String> cidrs = (form.allowedIps() != null) ? form.allowedIps().stream().map(String::strip).toList()
				: List.of();
		for (String cidr : cidrs) {
			try {
				CidrBlock.parse(cidr);
			}
			catch (IllegalArgumentException ex) {
				throw new BadRequest("allowedIps", ex.getMessage());
			}
		}
		return cidrs;
	}

	private static String newKey() {
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		return "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String prefix(String key) {
		return key.substring(0, 8);
	}

}
