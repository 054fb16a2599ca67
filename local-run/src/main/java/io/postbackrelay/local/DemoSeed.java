package io.postbackrelay.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.SourceKeys;
import org.bson.Document;

/**
 * On the first start only: a demo source, two demo partners (one GET with a URL template,
 * one POST) pointing at the demo partner, and an admin token. The source key and the
 * token are kept in the data folder (this is a developer's machine), so later starts can
 * print them again.
 */
final class DemoSeed {

	private static final SecureRandom random = new SecureRandom();

	private DemoSeed() {
	}

	/**
	 * The demo credentials.
	 *
	 * @param sourceKey the demo source's key
	 * @param adminToken an operator token for the admin API and console
	 */
	record Credentials(String sourceKey, String adminToken) {
	}

	static Credentials ensure(LocalSettings settings, DemoPartner partner) throws IOException {
		Path keyFile = settings.dataDir().resolve("demo-source-key");
		Path tokenFile = settings.dataDir().resolve("admin-token");
		if (!Files.exists(tokenFile)) {
			Files.writeString(tokenFile, secret("adm_"));
		}
		try (MongoClient client = MongoClients.create(settings.effectiveMongoUri())) {
			MongoDatabase db = client.getDatabase(settings.database());
			if (!Files.exists(keyFile) || db.getCollection(CollectionNames.SOURCES).countDocuments() == 0) {
				String key = secret("pk_");
				seed(db, key, partner);
				Files.writeString(keyFile, key);
			}
		}
		return new Credentials(Files.readString(keyFile).strip(), Files.readString(tokenFile).strip());
	}

	/**
	 * Writes the demo source and partners, replacing earlier ones: a MongoDB given in
	 * {@code RELAY_MONGODB_URI} outlives a data folder, whose key file is then gone, and
	 * the demo source gets a new key.
	 */
	private static void seed(MongoDatabase db, String key, DemoPartner partner) {
		Date now = Date.from(Instant.now());
		upsert(db, CollectionNames.SOURCES,
				new Document("_id", "src-demo").append("name", "demo-network")
					.append("keyHash", SourceKeys.hash(key))
					.append("keyPrefix", key.substring(0, 8))
					.append("active", true)
					.append("allowedIps", List.of())
					.append("createdAt", now)
					.append("updatedAt", now));
		upsert(db, CollectionNames.PARTNERS, partner("partner-demo-get", "demo-get",
				partner.url("/get/{click_id}?status={status}&payout={payout}&delivery={delivery_id}"), "GET", now));
		upsert(db, CollectionNames.PARTNERS,
				partner("partner-demo-post", "demo-post", partner.url("/post"), "POST", now));
	}

	private static void upsert(MongoDatabase db, String collection, Document document) {
		db.getCollection(collection)
			.replaceOne(Filters.eq("_id", document.get("_id")), document, new ReplaceOptions().upsert(true));
	}

	private static Document partner(String id, String name, String url, String method, Date now) {
		return new Document("_id", id).append("name", name)
			.append("email", name + "@example.com")
			.append("postbackUrl", url)
			.append("method", method)
			.append("active", true)
			.append("rules",
					new Document("statuses", List.of()).append("offerIds", List.of()).append("sourceIds", List.of()))
			.append("createdAt", now)
			.append("updatedAt", now);
	}

	static String database(String uri) {
		String name = new ConnectionString(uri).getDatabase();
		return (name != null && !name.isEmpty()) ? name : "postback_relay";
	}

	private static String secret(String prefix) {
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
