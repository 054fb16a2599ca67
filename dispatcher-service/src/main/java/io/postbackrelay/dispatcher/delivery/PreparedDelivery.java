package io.postbackrelay.dispatcher.delivery;

import io.postbackrelay.common.DeliveryRequest;
import okhttp3.Request;

/**
 * A delivery's request, ready for OkHttp, with what its log records.
 *
 * @param request the OkHttp request
 * @param planned the request as built by the shared builder
 */
record PreparedDelivery(Request request, DeliveryRequest planned) {
}
