package io.postbackrelay.admin.diagnostic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.admin.system.Views;
import io.postbackrelay.common.CollectionNames;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/diagnostic/partner-distribution-status}: is the relay working right now?
 */
@RestController
class StatusController {

	private final MongoTemplate mongo;

	private final KafkaAdmin kafkaAdmin;

	private final Clock clock;

	StatusController(MongoTemplate mongo, KafkaAdmin kafkaAdmin, Clock clock) {
		this.mongo = mongo;
		this.kafkaAdmin = kafkaAdmin;
		this.clock = clock;
	}

	@GetMapping("/api/diagnostic/partner-distribution-status")
	Map<String, Object> status() {
		Instant hourAgo = this.clock.instant().minus(Duration.ofHours(1));
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("activePartners",
				this.mongo.count(Query.query(Criteria.where("active").is(true)), CollectionNames.PARTNERS));
		status.put("postbacksLastHour", this.mongo.count(Query.query(Criteria.where("receivedAt").gte(hourAgo)),
				CollectionNames.RECEIVED_POSTBACKS));
		status.put("latestPostbacks", latest(CollectionNames.RECEIVED_POSTBACKS, "receivedAt", 5));
		status.put("recentDistributionLogs", latest(CollectionNames.PARTNER_POSTBACK_LOGS, "timestamp", 10));
		status.put("deliverySuccessRateLastHour", successRate(hourAgo));
		status.put("unpublishedBacklog", this.mongo.count(Query.query(Criteria.where("published").is(false)),
				CollectionNames.RECEIVED_POSTBACKS));
		status.put("openDeadLetters",
				this.mongo.count(Query.query(Criteria.where("status").is("OPEN")), CollectionNames.DEAD_LETTERS));
		status.put("health", Map.of("mongodb", "UP", "kafka", kafkaHealth()));
		return status;
	}

	private List<Map<String, Object>> latest(String collection, String field, int count) {
		return this.mongo
			.find(new Query().with(Sort.by(Sort.Direction.DESC, field)).limit(count), Document.class, collection)
			.stream()
			.map(Views::of)
			.toList();
	}

	/**
	 * Delivered attempts over attempts that called a partner or gave up, in the last
	 * hour; {@code null} when there were none.
	 */
	private Double successRate(Instant since) {
		Criteria counted = Criteria.where("timestamp").gte(since).and("outcome").ne("SKIPPED");
		long attempts = this.mongo.count(Query.query(counted), CollectionNames.PARTNER_POSTBACK_LOGS);
		if (attempts == 0) {
			return null;
		}
		long delivered = this.mongo.count(
				Query.query(Criteria.where("timestamp").gte(since).and("outcome").is("DELIVERED")),
				CollectionNames.PARTNER_POSTBACK_LOGS);
		return (double) delivered / attempts;
	}

	private String kafkaHealth() {
		try (AdminClient admin = AdminClient.create(this.kafkaAdmin.getConfigurationProperties())) {
			admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
			return "UP";
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return "DOWN";
		}
	}

}
