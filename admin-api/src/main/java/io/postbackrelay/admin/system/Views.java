package io.postbackrelay.admin.system;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Turns stored documents into JSON-friendly maps: {@code _id} becomes {@code id}, dates
 * become instants, decimals and object ids plain values.
 */
public final class Views {

	private Views() {
	}

	/**
	 * A document as the API shows it.
	 * @param document the stored document
	 * @return the view
	 */
	public static Map<String, Object> of(Document document) {
		Map<String, Object> view = new LinkedHashMap<>();
		document.forEach((key, value) -> view.put("_id".equals(key) ? "id" : key, value(value)));
		return view;
	}

	private static Object value(Object value) {
		if (value instanceof Document document) {
			return of(document);
		}
		if (value instanceof List<?> list) {
			return list.stream().map(Views::value).toList();
		}
		if (value instanceof Date date) {
			return date.toInstant();
		}
		if (value instanceof Decimal128 decimal) {
			return decimal.bigDecimalValue();
		}
		if (value instanceof ObjectId id) {
			return id.toHexString();
		}
		return value;
	}

}
