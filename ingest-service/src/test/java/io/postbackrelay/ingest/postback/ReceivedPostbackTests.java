package io.postbackrelay.ingest.postback;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.MongoClientSettings;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.convert.NoOpDbRefResolver;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReceivedPostback#toBson()} against Spring Data's converter, which reads the
 * documents back (the republisher) and wrote them before.
 */
class ReceivedPostbackTests {

	private static final Instant RECEIVED = Instant.parse("2026-11-27T10:15:30.123456789Z");

	private final MappingMongoConverter converter = converter();

	static List<ReceivedPostback> postbacks() {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("click_id", "abc 123");
		params.put("sub1", "");
		params.put("ip", "203.0.113.9");
		return List.of(
				new ReceivedPostback(new ObjectId().toHexString(), "src-1", "Acme Ads", params, "abc 123", "approved",
						new BigDecimal("12.50"), "77", "tx-1", "src-1|3:tx-1|8:approved", RECEIVED, true,
						RECEIVED.plusSeconds(1), true),
				// an id that is not an ObjectId, and every optional field empty
				new ReceivedPostback("test-1", "src-2", "Admin test", Map.of("click_id", "c"), "c", null, null, null,
						null, "src-2|2:cc|0:", RECEIVED, false, null, false));
	}

	@ParameterizedTest
	@MethodSource("postbacks")
	void isTheDocumentSpringDataWritesWithoutItsClassHint(ReceivedPostback postback) {
		Document written = new Document();
		this.converter.write(postback, written);
		written.remove("_class");

		assertThat(postback.toBson())
			.isEqualTo(written.toBsonDocument(BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry()));
	}

	@ParameterizedTest
	@MethodSource("postbacks")
	void readsBackAsTheSamePostbackToTheMillisecond(ReceivedPostback postback) {
		Document document = new DocumentCodec().decode(postback.toBson().asBsonReader(),
				DecoderContext.builder().build());

		ReceivedPostback read = this.converter.read(ReceivedPostback.class, document);

		assertThat(read).usingRecursiveComparison()
			.withEqualsForType((a, b) -> a.toEpochMilli() == b.toEpochMilli(), Instant.class)
			.isEqualTo(postback);
	}

	private static MappingMongoConverter converter() {
		MongoCustomConversions conversions = new MongoCustomConversions(List.of());
		MongoMappingContext context = new MongoMappingContext();
		context.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
		context.afterPropertiesSet();
		MappingMongoConverter converter = new MappingMongoConverter(NoOpDbRefResolver.INSTANCE, context);
		converter.setCustomConversions(conversions);
		converter.afterPropertiesSet();
		return converter;
	}

}
