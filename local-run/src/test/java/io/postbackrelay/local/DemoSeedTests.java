package io.postbackrelay.local;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.SourceKeys;
import io.postbackrelay.testing.RelayInfrastructure;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo data against a MongoDB that outlives the data folder, as one given in
 * {@code RELAY_MONGODB_URI} does.
 */
class DemoSeedTests {

	@Test
	void aNewDataFolderOnAKeptDatabaseGetsTheDemoSourceWithANewKey(@TempDir Path first, @TempDir Path second)
			throws Exception {
		String uri = RelayInfrastructure.endpoints().mongoUri(RelayInfrastructure.newDatabaseName());
		PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
		try (DemoPartner partner = new DemoPartner(0, quiet); MongoClient client = MongoClients.create(uri)) {
			DemoSeed.Credentials before = DemoSeed.ensure(settings(first, uri), partner);
			DemoSeed.Credentials again = DemoSeed.ensure(settings(first, uri), partner);
			DemoSeed.Credentials after = DemoSeed.ensure(settings(second, uri), partner);

			MongoDatabase db = client.getDatabase(settings(first, uri).database());
			List<Document> sources = db.getCollection(CollectionNames.SOURCES).find().into(new ArrayList<>());
			assertThat(again.sourceKey()).isEqualTo(before.sourceKey());
			assertThat(after.sourceKey()).isNotEqualTo(before.sourceKey());
			assertThat(sources).singleElement()
				.satisfies((source) -> assertThat(source.getString("keyHash"))
					.isEqualTo(SourceKeys.hash(after.sourceKey())));
			assertThat(db.getCollection(CollectionNames.PARTNERS).countDocuments()).isEqualTo(2);
			assertThat(Files.readString(second.resolve("demo-source-key")).strip()).isEqualTo(after.sourceKey());
		}
	}

	@Test
	void theDatabaseIsTheUrisElsePostbackRelay(@TempDir Path data) {
		assertThat(settings(data, "mongodb://db.example:27017/relay_prod?replicaSet=rs0").database())
			.isEqualTo("relay_prod");
		assertThat(settings(data, "mongodb://db.example:27017").database()).isEqualTo("postback_relay");
		assertThat(settings(data, "mongodb://db.example:27017/?replicaSet=rs0").database()).isEqualTo("postback_relay");
		assertThat(settings(data, null).database()).isEqualTo("postback_relay");
	}

	private static LocalSettings settings(Path dataDir, String mongoUri) {
		return LocalSettings.onFreePorts(dataDir, mongoUri, List.of(), false);
	}

}
