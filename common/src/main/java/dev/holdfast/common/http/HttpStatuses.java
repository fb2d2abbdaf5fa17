package dev.holdfast.common.http;

/**
 * What an HTTP status means to a sender that wants its request to take effect, one table for both
 * programs (the agent's senders, the relay's upstream): 2xx taken; 408, 429 and 5xx "not now, try
 * again"; 401 our credentials were refused; 403 forbidden; 3xx a redirect (never followed); any
 * other status a refusal that sending the same request again cannot change. Each caller maps these
 * kinds to its own outcome (the agent holds a channel on 401; the relay answers its device 503).
 */
public final class HttpStatuses {
  private HttpStatuses() {}

  /** The kinds of answer. */
  public enum Kind {
    /** 2xx: the receiver took it. */
    TAKEN,
    /** 408 Request Timeout, 429 Too Many Requests, 5xx: not taken now; the same request may succeed later. */
    TRY_LATER,
    /** 401: the credentials we sent were refused. */
    UNAUTHORIZED,
    /** 403: authenticated, but not allowed. */
    FORBIDDEN,
    /** 3xx: a redirect, which we do not follow (the final URL belongs in the configuration). */
    REDIRECT,
    /** Any other status (400, 404, 413, 422, ...): this request will be refused again. */
    REFUSED
  }

  public static Kind classify(int status) {
    if (status >= 200 && status < 300) {
      return Kind.TAKEN;
    }
    if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
      return Kind.TRY_LATER;
    }
    if (status == 401) {
      return Kind.UNAUTHORIZED;
    }
    if (status == 403) {
      return Kind.FORBIDDEN;
    }
    if (status >= 300 && status < 400) {
      return Kind.REDIRECT;
    }
    return Kind.REFUSED;
  }
}
