package io.postbackrelay.dispatcher.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.postbackrelay.dispatcher.system.DispatcherProperties;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one OkHttp client every partner call shares. Its dispatcher allows as many calls
 * per host as overall, since OkHttp's default of 5 per host would queue calls to a busy
 * partner before their timeout even starts.
 */
@Configuration(proxyBeanMethods = false)
class PartnerHttpClientSetup {

	@Bean
	OkHttpClient partnerHttpClient(DispatcherProperties properties) {
		DispatcherProperties.Delivery delivery = properties.delivery();
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(delivery.maxConcurrentCalls());
		dispatcher.setMaxRequestsPerHost(delivery.maxConcurrentCalls());
		OkHttpClient.Builder client = new OkHttpClient.Builder().dispatcher(dispatcher)
			.connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
			.connectTimeout(delivery.connectTimeout())
			.readTimeout(delivery.maxTimeout())
			.writeTimeout(delivery.maxTimeout())
			.callTimeout(Duration.ZERO)
			.followRedirects(false)
			.followSslRedirects(false)
			// a kept-alive connection the partner closed while idle fails the next call
			// on it ("unexpected end of stream"); OkHttp then sends it once more on a new
			// connection, as our retry would (same delivery id), but without failing the
			// attempt: a burst of such failures opened healthy partners' circuits in the
			// benchmark
			.retryOnConnectionFailure(true);
		if (!delivery.allowPrivateTargets()) {
			client.dns(new PrivateTargets(Dns.SYSTEM));
		}
		return client.build();
	}

}
