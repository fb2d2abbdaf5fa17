package dev.holdfast.common.sms;

import dev.holdfast.common.http.AnswerFields;
import dev.holdfast.common.http.Urls;
import dev.holdfast.protocol.crypto.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's Messages API, and compatible ones: a form-encoded {@code To}/{@code From}/{@code Body}
 * POST to {@code {base}/2010-04-01/Accounts/{sid}/Messages.json} with HTTP basic auth (account SID,
 * auth token). The one client of both programs: the agent sends with it directly
 * ({@code sms.provider = twilio}), the relay forwards with it. It reports what came back and leaves
 * the meaning to the caller ({@link dev.holdfast.common.http.HttpStatuses}).
 *
 * <p>The auth token is read from the caller's {@link Secret} into byte arrays that are wiped after
 * the header is built; the answer's body is read up to {@link #MAX_ANSWER_BYTES} and only its
 * {@code sid} and {@code code} are kept, never quoted (an answer may echo the number or the text).
 */
public final class TwilioClient {
  /** More than any answer Twilio sends; a larger body is cut there. */
  public static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final HttpClient http;
  private final URI endpoint;
  private final String accountSid;
  private final Duration timeout;

  /** @param timeout for each request, answer included */
  public TwilioClient(HttpClient http, URI base, String accountSid, Duration timeout) {
    this.http = http;
    this.accountSid = accountSid;
    this.endpoint = Urls.under(base,
        "/2010-04-01/Accounts/" + URLEncoder.encode(accountSid, StandardCharsets.UTF_8) + "/Messages.json");
    this.timeout = timeout;
  }

  /** An SMS to send; {@link #toString()} hides the number and the text. */
  public record Message(String to, String from, String body) {
    @Override
    public String toString() {
      return "Message[to redacted, " + body.length() + " chars]";
    }
  }

  /** What came back. */
  public sealed interface Reply permits Answered, NoAnswer, Interrupted {}

  /**
   * An HTTP answer: its status, its {@code Retry-After} header, the message {@code sid} (on success)
   * and Twilio's error {@code code} (on a refusal), when the body is JSON that has them.
   */
  public record Answered(int status, Optional<String> retryAfter, Optional<String> sid, Optional<String> code)
      implements Reply {}

  /** No answer: the connection failed, timed out or was reset. */
  public record NoAnswer(IOException cause) implements Reply {}

  /** The sending thread was interrupted (the program is stopping); the interrupt flag is set again. */
  public record Interrupted() implements Reply {}

  /**
   * Sends {@code message} once.
   *
   * @param authToken used, not destroyed: it belongs to the caller
   * @param headers extra request headers (e.g. {@code Idempotency-Key}, {@code User-Agent})
   */
  public Reply send(Message message, Secret authToken, Map<String, String> headers) {
    String form = "To=" + encode(message.to()) + "&From=" + encode(message.from()) + "&Body=" + encode(message.body());
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    headers.forEach(request::header);
    request.header("Authorization", basicAuth(authToken));
    try {
      HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_ANSWER_BYTES);
      }
      String text = new String(body, StandardCharsets.UTF_8);
      return new Answered(response.statusCode(), response.headers().firstValue("Retry-After"), AnswerFields.of(text, "sid"),
          AnswerFields.of(text, "code"));
    } catch (IOException e) {
      return new NoAnswer(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Interrupted();
    }
  }

  private String basicAuth(Secret authToken) {
    byte[] secret = authToken.bytes();
    byte[] user = (accountSid + ":").getBytes(StandardCharsets.UTF_8);
    byte[] pair = new byte[user.length + secret.length];
    System.arraycopy(user, 0, pair, 0, user.length);
    System.arraycopy(secret, 0, pair, user.length, secret.length);
    try {
      return "Basic " + Base64.getEncoder().encodeToString(pair);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(pair, (byte) 0);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TwilioClient[" + endpoint + ", auth token redacted]";
  }
}
