package io.postbackrelay.dispatcher;

import java.time.Duration;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryIds;
import io.postbackrelay.dispatcher.partner.PartnerDirectory;
import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.RelayStack;
import io.postbackrelay.testing.TestPartner;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the default configuration, a partner URL that points into our own network is
 * refused for good, by address literal and by host name.
 */
@SpringBootTest(useMainMethod = UseMainMethod.ALWAYS)
@DirtiesContext
class PrivateTargetIntegrationTests {

	static final RelayStack pipeline = new RelayStack().startIngest(IngestApplication.application());

	static final String key = pipeline.createSource("private");

	@DynamicPropertySource
	static void pipelineProperties(DynamicPropertyRegistry registry) {
		pipeline.properties().forEach((name, value) -> registry.add(name, () -> value));
		registry.add("relay.dispatcher.delivery.allow-private-targets", () -> "false");
	}

	@AfterAll
	static void stopPipeline() {
		pipeline.close();
	}

	@Autowired
	PartnerDirectory partners;

	@Test
	void partnerUrlsThatReachPrivateAddressesAreDeadLetteredWithoutACall() {
		try (TestPartner partner = new TestPartner()) {
			String literal = pipeline.createPartner("literal", partner.url("/p"), "GET", null, null);
			String named = pipeline.createPartner("named", partner.url("/p").replace("127.0.0.1", "localhost"), "GET",
					null, null);
			await().until(() -> this.partners.find(literal).isPresent() && this.partners.find(named).isPresent());

			String postbackId = pipeline.send(key, "click_id=private-1");

			assertThat(deadLetter(DeliveryIds.of(postbackId, literal)).getString("lastError"))
				.contains("private, loopback or link-local");
			assertThat(deadLetter(DeliveryIds.of(postbackId, named)).getString("lastError"))
				.contains("private, loopback or link-local");
			assertThat(partner.received()).isEmpty();
		}
	}

	private static Document deadLetter(String deliveryId) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> pipeline.find(CollectionNames.DEAD_LETTERS, deliveryId) != null);
		return pipeline.find(CollectionNames.DEAD_LETTERS, deliveryId);
	}

}
