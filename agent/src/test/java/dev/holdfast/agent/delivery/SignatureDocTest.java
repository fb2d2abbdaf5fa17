package dev.holdfast.agent.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python receiver check in docs/delivery.md, run against signatures the sender makes. */
class SignatureDocTest {
  static final String SECRET = "whsec-doc-check-7a8b9c";
  static final String URL = "https://hooks.example/in/door?site=3";
  static final String KEY = "01JDOORKEY7f3a";
  static final String DRIVER = """

      import sys
      secret, header, url, key = open(sys.argv[1], "rb").read(), sys.argv[2], sys.argv[3], sys.argv[4]
      print(verify(secret, header, url, key, open(sys.argv[5], "rb").read()))
      """;

  @TempDir Path dir;

  /** The Python example compares with time.time(), so the signing time is the real one here. */
  final long now = Clock.systemUTC().instant().getEpochSecond();

  /** Signs {@code signedBody} for URL and KEY at {@code t}; the receiver checks with its own URL and the key it got. */
  String verify(long t, byte[] signedBody, String receiverUrl, String receivedKey, byte[] receivedBody)
      throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "delivery.md"));
    int start = doc.indexOf("```python\n") + "```python\n".length();
    Path script = dir.resolve("verify.py");
    Files.writeString(script, doc.substring(start, doc.indexOf("```", start)) + DRIVER);
    Files.write(dir.resolve("secret"), SECRET.getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("body"), receivedBody);
    String header = WebhookSender.signature(Secret.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)), t, URL, KEY,
        signedBody);
    Process p = new ProcessBuilder("python3", script.toString(), dir.resolve("secret").toString(), header,
        receiverUrl, receivedKey, dir.resolve("body").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void aReceiverFollowingTheDocsAcceptsAGenuineSignature() throws Exception {
    byte[] body = "{\"door\":\"open\",\"note\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
    assertThat(verify(now, body, URL, KEY, body)).isEqualTo("True");
  }

  @Test
  void aReceiverFollowingTheDocsRefusesAnAlteredBody() throws Exception {
    byte[] body = "{\"door\":\"open\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(verify(now, body, URL, KEY, "{\"door\":\"shut\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("False");
  }

  @Test
  void aReceiverFollowingTheDocsRefusesAnOldSignature() throws Exception {
    byte[] body = "{\"door\":\"open\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(verify(now - 3600, body, URL, KEY, body)).isEqualTo("False");
  }

  @Test
  void aReceiverFollowingTheDocsRefusesASignatureMadeForAnotherUrlOrIdempotencyKey() throws Exception {
    byte[] body = "{\"door\":\"open\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(verify(now, body, "https://other.example/in/door?site=3", KEY, body)).isEqualTo("False");
    assertThat(verify(now, body, URL, KEY + "-2", body)).isEqualTo("False");
  }
}
