package io.postbackrelay.ingest.postback;

import java.io.IOException;

import com.mongodb.MongoException;
import io.postbackrelay.ingest.source.AddressNotAllowed;
import io.postbackrelay.ingest.source.UnknownSource;
import io.postbackrelay.ingest.system.IngestProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns refused postbacks into RFC 9457 problem details and counts them by reason.
 */
@RestControllerAdvice(assignableTypes = PostbackController.class)
class PostbackProblems {

	private static final Logger logger = LoggerFactory.getLogger(PostbackProblems.class);

	private final IngestMetrics metrics;

	private final String retryAfterSeconds;

	PostbackProblems(IngestMetrics metrics, IngestProperties properties) {
		this.metrics = metrics;
		this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownSource(UnknownSource ex, HttpServletRequest request) {
		return refuse(request, HttpStatus.UNAUTHORIZED, "unknown_source", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> addressNotAllowed(AddressNotAllowed ex, HttpServletRequest request) {
		request.setAttribute(PostbackController.SOURCE_NAME, ex.sourceName());
		return refuse(request, HttpStatus.FORBIDDEN, "address_not_allowed", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalid(InvalidPostback ex, HttpServletRequest request) {
		ResponseEntity<ProblemDetail> response = refuse(request, HttpStatus.BAD_REQUEST, "invalid_parameter",
				ex.getMessage());
		if (ex.parameter() != null) {
			response.getBody().setProperty("parameter", ex.parameter());
		}
		return response;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooLarge(PostbackTooLarge ex, HttpServletRequest request) {
		return refuse(request, HttpStatus.CONTENT_TOO_LARGE, "too_large", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unsupported(UnsupportedPostbackBody ex, HttpServletRequest request) {
		return refuse(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_body", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadable(IOException ex, HttpServletRequest request) {
		return refuse(request, HttpStatus.BAD_REQUEST, "unreadable", "Request body could not be read");
	}

	@ExceptionHandler({ DataAccessException.class, MongoException.class })
	ResponseEntity<ProblemDetail> storeUnavailable(RuntimeException ex, HttpServletRequest request) {
		logger.warn("Postback refused with 503, MongoDB is unavailable: {}", ex.toString());
		this.metrics.received(sourceName(request), "unavailable", "store_unavailable");
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The postback store is unavailable; nothing was stored. Retry later.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds)
			.body(problem);
	}

	private ResponseEntity<ProblemDetail> refuse(HttpServletRequest request, HttpStatus status, String reason,
			String detail) {
		this.metrics.received(sourceName(request), "rejected", reason);
		return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
	}

	private static String sourceName(HttpServletRequest request) {
		Object name = request.getAttribute(PostbackController.SOURCE_NAME);
		return (name != null) ? name.toString() : "unknown";
	}

}
