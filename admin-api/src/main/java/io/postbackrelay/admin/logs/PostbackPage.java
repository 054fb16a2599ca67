package io.postbackrelay.admin.logs;

import java.util.List;
import java.util.Map;

/**
 * A page of received postbacks.
 *
 * @param postbacks the postbacks, newest first
 * @param page this page, from 1
 * @param pages how many pages there are
 * @param total how many postbacks match
 */
record PostbackPage(List<Map<String, Object>> postbacks, int page, int pages, long total) {
}
