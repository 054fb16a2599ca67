package io.postbackrelay.admin.logs;

import java.util.List;
import java.util.Map;

/**
 * A page of delivery attempt logs.
 *
 * @param logs the attempts, newest first
 * @param page this page, from 1
 * @param pages how many pages there are
 * @param total how many attempts match
 */
record LogPage(List<Map<String, Object>> logs, int page, int pages, long total) {
}
