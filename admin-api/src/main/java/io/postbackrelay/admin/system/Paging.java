package io.postbackrelay.admin.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.List;
import java.util.Map;

import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

/**
 * A page request, validated: {@code page} from 1, {@code limit} from 1, capped at
 * {@code max-page-size}.
 *
 * @param page the page number, from 1
 * @param limit items per page
 */
public record Paging(int page, int limit) {

	/**
	 * A page of a listing.
	 * @param page the page asked for
	 * @param limit the size asked for
	 * @param properties for the cap
	 * @return the page
	 * @throws BadRequest if page or limit is below 1
	 */
	public static Paging of(int page, int limit, AdminProperties properties) {
		if (page < 1) {
			throw new BadRequest("page", "'page' must be 1 or more");
		}
		if (limit < 1) {
			throw new BadRequest("limit", "'limit' must be 1 or more");
		}
		return new Paging(page, Math.min(limit, properties.maxPageSize()));
	}

	/**
	 * The start of a listing's time window.
	 * @param hours how many hours back
	 * @param properties for the bound
	 * @param clock the clock
	 * @return the start
	 * @throws BadRequest if hours is not between 1 and {@code max-hours}
	 */
	public static Instant since(int hours, AdminProperties properties, Clock clock) {
		if (hours < 1 || hours > properties.maxHours()) {
			throw new BadRequest("hours", "'hours' must be between 1 and " + properties.maxHours());
		}
		return clock.instant().minus(Duration.ofHours(hours));
	}

	/**
	 * One page of a collection, newest first, as the API shows its documents.
	 * @param mongo the template
	 * @param criteria the filter
	 * @param collection the collection
	 * @param newestField the field to sort by, descending
	 * @return the page with the total count
	 */
	public Listing list(MongoTemplate mongo, Query criteria, String collection, String newestField) {
		long total = mongo.count(criteria, collection);
		List<Map<String, Object>> items = mongo.find(apply(criteria, newestField), Document.class, collection)
			.stream()
			.map(Views::of)
			.toList();
		return new Listing(items, this.page, pages(total), total);
	}

	/**
	 * A page of documents.
	 *
	 * @param items the documents on this page
	 * @param page this page, from 1
	 * @param pages how many pages there are
	 * @param total how many documents match
	 */
	public record Listing(List<Map<String, Object>> items, int page, int pages, long total) {
	}

	/**
	 * The query for this page, newest first by a field.
	 * @param criteria the filter
	 * @param newestField the field to sort by, descending
	 * @return the paged query
	 */
	Query apply(Query criteria, String newestField) {
		return Query.of(criteria)
			.with(Sort.by(Sort.Direction.DESC, newestField))
			.skip((long) (this.page - 1) * this.limit)
			.limit(this.limit);
	}

	/**
	 * How many pages a total makes.
	 * @param total the number of items
	 * @return the number of pages, at least 1
	 */
	int pages(long total) {
		return (int) Math.max(1, (total + this.limit - 1) / this.limit);
	}

}
