package io.postbackrelay.admin.partner;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.postbackrelay.admin.system.BadRequest;
import io.postbackrelay.admin.system.NotFound;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryIds;
import io.postbackrelay.common.DeliveryOrigin;
import io.postbackrelay.common.DeliveryRequest;
import io.postbackrelay.common.DeliveryRequests;
import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.common.InvalidPartnerTarget;
import jakarta.validation.Valid;
import okhttp3.HttpUrl;
import org.bson.Document;
import tools.jackson.databind.ObjectMapper;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/admin/partners}: list, read, create, replace, activate, deactivate, delete,
 * and preview the exact request a partner would get.
 */
@RestController
@RequestMapping("/api/admin/partners")
class PartnerController {

	private final MongoTemplate mongo;

	private final ObjectMapper json;

	private final Clock clock;

	PartnerController(MongoTemplate mongo, ObjectMapper json, Clock clock) {
		this.mongo = mongo;
		this.json = json;
		this.clock = clock;
	}

	@GetMapping
	List<PartnerView> list() {
		return this.mongo.find(new Query().with(Sort.by("name")), Partner.class).stream().map(PartnerView::of).toList();
	}

	@GetMapping("/{id}")
	PartnerView get(@PathVariable String id) {
		return PartnerView.of(find(id));
	}

	@PostMapping
	ResponseEntity<PartnerView> create(@Valid @RequestBody PartnerForm form) {
		Instant now = this.clock.instant();
		Partner partner = this.mongo.insert(toPartner("partner-" + UUID.randomUUID(), form, now, now));
		return ResponseEntity.created(URI.create("/api/admin/partners/" + partner.id())).body(PartnerView.of(partner));
	}

	@PutMapping("/{id}")
	PartnerView replace(@PathVariable String id, @Valid @RequestBody PartnerForm form) {
		Partner existing = find(id);
		return PartnerView.of(this.mongo.save(toPartner(id, form, existing.createdAt(), this.clock.instant())));
	}

	@PostMapping("/{id}/activate")
	PartnerView activate(@PathVariable String id) {
		return PartnerView.of(this.mongo.save(find(id).withActive(true, this.clock.instant())));
	}

	@PostMapping("/{id}/deactivate")
	PartnerView deactivate(@PathVariable String id) {
		return PartnerView.of(this.mongo.save(find(id).withActive(false, this.clock.instant())));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String id) {
		this.mongo.remove(find(id));
	}

	/**
	 * The exact request this partner would get for a stored postback
	 * ({@code postback_id}) or for sample parameters ({@code params}); nothing is sent.
	 */
	@PostMapping("/{id}/preview")
	DeliveryRequest preview(@PathVariable String id, @RequestBody PreviewRequest body) {
		Partner partner = find(id);
		DeliveryTask task = sampleTask(partner, body);
		try {
			return DeliveryRequests.build(
					new DeliveryRequests.Target(partner.postbackUrl(), partner.method(), partner.signingSecret()), task,
					1, "PostbackRelay/preview", this.clock.instant(), this.json);
		}
		catch (InvalidPartnerTarget ex) {
			throw new BadRequest("postbackUrl", ex.getMessage());
		}
	}

	private DeliveryTask sampleTask(Partner partner, PreviewRequest body) {
		if (body.postbackId() != null && !body.postbackId().isBlank()) {
			Document postback = this.mongo.findById(body.postbackId(), Document.class,
					CollectionNames.RECEIVED_POSTBACKS);
			if (postback == null) {
				throw new NotFound("Postback " + body.postbackId());
			}
			@SuppressWarnings("unchecked")
			Map<String, String> params = (Map<String, String>) postback.get("params", Map.class);
			return task(body.postbackId(), partner, postback.getString("sourceId"), postback.getString("sourceName"),
					params, postback.getDate("receivedAt").toInstant());
		}
		if (body.params() == null || body.params().isEmpty()) {
			throw new BadRequest("params", "Give 'postback_id' or sample 'params'");
		}
		return task("preview", partner, "preview-source", "preview", body.params(), this.clock.instant());
	}

	private static DeliveryTask task(String postbackId, Partner partner, String sourceId, String sourceName,
			Map<String, String> params, Instant receivedAt) {
		return new DeliveryTask(DeliveryTask.SCHEMA_VERSION, DeliveryIds.of(postbackId, partner.id()), postbackId,
				partner.id(), sourceId, sourceName, params, receivedAt, false, DeliveryOrigin.SCHEDULED, 0);
	}

	private Partner find(String id) {
		Partner partner = this.mongo.findById(id, Partner.class);
		if (partner == null) {
			throw new NotFound("Partner " + id);
		}
		return partner;
	}

	private static Partner toPartner(String id, PartnerForm form, Instant createdAt, Instant now) {
		checkUrl(form.postbackUrl());
		PartnerForm.RulesForm rules = (form.rules() != null) ? form.rules()
				: new PartnerForm.RulesForm(null, null, null);
		return new Partner(id, form.name().strip(), form.email().strip(), form.postbackUrl().strip(), form.method(),
				form.active() == null || form.active(),
				new Partner.Rules(rules.statuses(), rules.offerIds(), rules.sourceIds()),
				(form.signingSecret() != null && !form.signingSecret().isBlank()) ? form.signingSecret() : null,
				form.timeoutMs(), createdAt, now);
	}

	private static void checkUrl(String url) {
		// placeholders are filled per delivery; any value must leave a valid http(s) URL
		if (HttpUrl.parse(url.strip().replaceAll("\\{[A-Za-z0-9_-]+}", "x")) == null) {
			throw new BadRequest("postbackUrl", "'postbackUrl' must be an absolute http or https URL");
		}
	}

	/**
	 * What to preview with.
	 *
	 * @param postbackId a stored postback's id
	 * @param params sample parameters
	 */
	record PreviewRequest(@com.fasterxml.jackson.annotation.JsonProperty("postback_id") String postbackId,
			Map<String, String> params) {
	}

}
