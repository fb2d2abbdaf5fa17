package dev.holdfast.provisioning.relay;

import dev.holdfast.common.http.HttpStatuses;
import dev.holdfast.common.http.RetryAfter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What an upstream's answer (Twilio's or a webhook's) means for the device that asked the relay,
 * after the HTTP kinds both programs share ({@link HttpStatuses}): taken; not now (408, 429: the
 * device is told 503 and retries after the upstream's {@code Retry-After}, seconds or a date);
 * the provider failed (5xx: 502); the relay's own credentials were refused (401, 403: 503, a
 * minute, the operator must act); anything else refused for good (the device dead-letters it).
 */
final class UpstreamAnswers {
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(30);
  static final Duration CREDENTIALS_RETRY = Duration.ofSeconds(60);

  private UpstreamAnswers() {}

  /**
   * @param upstream what to call the upstream in details ("SMS API", "webhook")
   * @param id the upstream's id of the message, kept when it took it
   * @param code the upstream's own refusal code, when it gave one
   */
  static SmsSender.Outcome of(String upstream, int status, Optional<String> retryAfter, Optional<String> id,
      Optional<String> code, Clock clock) {
    Duration wait = RetryAfter.parse(retryAfter, clock.instant()).orElse(DEFAULT_RETRY);
    return switch (HttpStatuses.classify(status)) {
      case TAKEN -> new SmsSender.Accepted(id.orElse(""));
      case TRY_LATER -> status >= 500 ? new SmsSender.Unavailable(true, wait, upstream + " error " + status)
          : new SmsSender.Unavailable(false, wait, upstream + (status == 429 ? " rate limit" : " timed out") + " ("
              + status + ")");
      case UNAUTHORIZED, FORBIDDEN -> new SmsSender.Unavailable(false, CREDENTIALS_RETRY,
          upstream + " refused the relay's credentials (" + status + ")");
      case REDIRECT, REFUSED -> new SmsSender.Rejected(code.orElse(Integer.toString(status)));
    };
  }

  static SmsSender.Outcome unreachable(String upstream, IOException e) {
    return new SmsSender.Unavailable(false, DEFAULT_RETRY, upstream + " unreachable: " + e.getClass().getSimpleName());
  }

  static SmsSender.Outcome interrupted() {
    return new SmsSender.Unavailable(false, DEFAULT_RETRY, "interrupted");
  }
}
