package io.postbackrelay.ingest.postback;

import java.io.IOException;
import java.util.Map;

import io.micrometer.core.instrument.Timer;
import io.postbackrelay.ingest.source.ClientAddress;
import io.postbackrelay.ingest.source.Source;
import io.postbackrelay.ingest.source.SourceGuard;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET|POST /postback/{sourceKey}}: where ad platforms send postbacks.
 */
@RestController
class PostbackController {

	/** Request attribute holding the authenticated source's name, for error metrics. */
	static final String SOURCE_NAME = PostbackController.class.getName() + ".source";

	private final ClientAddress clientAddress;

	private final SourceGuard guard;

	private final PostbackParameters parameters;

	private final PostbackIntake intake;

	private final IngestMetrics metrics;

	PostbackController(ClientAddress clientAddress, SourceGuard guard, PostbackParameters parameters,
			PostbackIntake intake, IngestMetrics metrics) {
		this.clientAddress = clientAddress;
		this.guard = guard;
		this.parameters = parameters;
		this.intake = intake;
		this.metrics = metrics;
	}

	@RequestMapping(path = "/postback/{sourceKey}", method = { RequestMethod.GET, RequestMethod.POST },
			produces = MediaType.APPLICATION_JSON_VALUE)
	IngestResult receive(@PathVariable String sourceKey, HttpServletRequest request) throws IOException {
		Timer.Sample sample = this.metrics.start();
		String address = this.clientAddress.of(request);
		Source source = this.guard.authenticate(sourceKey, address);
		request.setAttribute(SOURCE_NAME, source.name());
		Map<String, String> received = this.parameters.read(request);
		IngestResult result = this.intake.accept(source, received, address);
		this.metrics.received(source.name(), result.status(), "none");
		this.metrics.stop(sample, result.status());
		return result;
	}

}
