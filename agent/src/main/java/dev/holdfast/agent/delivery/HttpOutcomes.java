package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.common.http.HttpStatuses;
import dev.holdfast.common.http.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.Optional;

/**
 * How an HTTP answer (or the lack of one) becomes a {@link DeliveryOutcome}, after the kinds both
 * programs share ({@link HttpStatuses}): taken is done; try-later retries, honouring {@code
 * Retry-After} ({@link RetryAfter}: seconds or an HTTP date); 401 holds the channel (credentials
 * rejected); a redirect (never followed), 403 and every other refusal are permanent. Pure functions
 * of their arguments. Reasons name the status only: they never quote the answer's body, because a
 * receiver may echo what was sent (numbers, message text) and reasons end up in {@code status} and
 * the logs.
 */
public final class HttpOutcomes {
  private HttpOutcomes() {}

  public static DeliveryOutcome ofStatus(int status, Optional<String> retryAfter, Clock clock) {
    String reason = "HTTP " + status;
    return switch (HttpStatuses.classify(status)) {
      case TAKEN -> new DeliveryOutcome.Delivered(reason);
      case TRY_LATER -> new DeliveryOutcome.Retry(reason, RetryAfter.parse(retryAfter, clock.instant()));
      case UNAUTHORIZED -> new DeliveryOutcome.CredentialsRejected(reason);
      case REDIRECT -> new DeliveryOutcome.Permanent(reason + " (redirects are not followed; use the final URL)");
      case FORBIDDEN, REFUSED -> new DeliveryOutcome.Permanent(reason);
    };
  }

  /** No answer: a timeout, a refused or reset connection, a TLS failure. All worth retrying. */
  public static DeliveryOutcome ofFailure(IOException e) {
    String what;
    if (e instanceof SocketTimeoutException || e instanceof HttpTimeoutException) {
      what = "timed out (delivery.timeout)";
    } else if (e instanceof ConnectException) {
      what = "connection refused or unreachable";
    } else {
      what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + printable(e.getMessage()));
    }
    return new DeliveryOutcome.Retry("no answer: " + what, Optional.empty());
  }

  /** The agent is stopping while an attempt waited for its answer. */
  public static DeliveryOutcome interrupted() {
    return new DeliveryOutcome.Retry("interrupted (the agent is stopping)", Optional.empty());
  }

  private static String printable(String s) {
    return s.replaceAll("[\\p{Cntrl}]+", " ").strip();
  }
}
