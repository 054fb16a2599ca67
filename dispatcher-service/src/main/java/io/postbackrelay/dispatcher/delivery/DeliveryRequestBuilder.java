package io.postbackrelay.dispatcher.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.regex.Pattern;

import io.postbackrelay.common.DeliveryRequest;
import io.postbackrelay.common.DeliveryRequests;
import io.postbackrelay.common.DeliveryTask;
import io.postbackrelay.common.InvalidPartnerTarget;
import io.postbackrelay.dispatcher.partner.Partner;
import io.postbackrelay.dispatcher.system.DispatcherProperties;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * Turns a delivery into the OkHttp request to send: the shared {@link DeliveryRequests}
 * builds it, then a target in a private network is refused unless configuration allows
 * it.
 */
@Component
class DeliveryRequestBuilder {

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	private final ObjectMapper json;

	private final Clock clock;

	private final String userAgent;

	private final boolean allowPrivateTargets;

	DeliveryRequestBuilder(ObjectMapper json, Clock clock, ObjectProvider<BuildProperties> build,
			DispatcherProperties properties) {
		this.json = json;
		this.clock = clock;
		BuildProperties info = build.getIfAvailable();
		this.userAgent = "PostbackRelay/" + ((info != null) ? info.getVersion() : "dev");
		this.allowPrivateTargets = properties.delivery().allowPrivateTargets();
	}

	/**
	 * The request that delivers a task to a partner.
	 * @throws PermanentDeliveryFailure if the partner's URL or secret is invalid, or its
	 * address is refused
	 */
	PreparedDelivery prepare(Partner partner, DeliveryTask task, int attempt) {
		DeliveryRequest planned;
		try {
			planned = DeliveryRequests.build(new DeliveryRequests.Target(partner.postbackUrl(), partner.method().name(),
					partner.signingSecret()), task, attempt, this.userAgent, this.clock.instant(), this.json);
		}
		catch (InvalidPartnerTarget ex) {
			throw new PermanentDeliveryFailure(ex.getMessage());
		}
		HttpUrl url = HttpUrl.get(planned.url());
		refusePrivateLiteral(url);
		Request.Builder request = new Request.Builder().url(url);
		planned.headers().forEach(request::header);
		if (planned.body() != null) {
			request.post(RequestBody.create(planned.body(), MediaType.get("application/json")));
		}
		return new PreparedDelivery(request.build(), planned);
	}

	private void refusePrivateLiteral(HttpUrl url) {
		// OkHttp connects to an address literal without asking its Dns, so check it here
		if (this.allowPrivateTargets || !IP_LITERAL.matcher(url.host()).matches()) {
			return;
		}
		try {
			if (PrivateTargets.isPrivate(InetAddress.getByName(url.host()))) {
				throw new PermanentDeliveryFailure("Partner URL targets a private, loopback or link-local address,"
						+ " which is refused (relay.dispatcher.delivery.allow-private-targets)");
			}
		}
		catch (UnknownHostException ex) {
			throw new PermanentDeliveryFailure("Invalid partner URL host: " + url.host());
		}
	}

}
