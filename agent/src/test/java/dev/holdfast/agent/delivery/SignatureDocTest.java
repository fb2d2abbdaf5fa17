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
  static final String DRIVER = """

      import sys
      secret, header, body = open(sys.argv[1], "rb").read(), sys.argv[2], open(sys.argv[3], "rb").read()
      print(verify(secret, header, body))
      """;

  @TempDir Path dir;

  /** The Python example compares with time.time(), so the signing time is the real one here. */
  final long now = Clock.systemUTC().instant().getEpochSecond();

  String verify(long t, byte[] signedBody, byte[] receivedBody) throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "delivery.md"));
    int start = doc.indexOf("```python\n") + "```python\n".length();
    Path script = dir.resolve("verify.py");
    Files.writeString(script, doc.substring(start, doc.indexOf("```", start)) + DRIVER);
    Files.write(dir.resolve("secret"), SECRET.getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("body"), receivedBody);
    String header = WebhookSender.signature(Secret.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)), t, signedBody);
    Process p = new ProcessBuilder("python3", script.toString(), dir.resolve("secret").toString(), header,
        dir.resolve("body").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void aReceiverFollowingTheDocsAcceptsAGenuineSignature() throws Exception {
    byte[] body = "{\"door\":\"open\",\"note\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(verify(now, body, body)).isEqualTo("True");
  }

  @Test
  void aReceiverFollowingTheDocsRefusesAnAlteredBody() throws Exception {
    byte[] body = "{\"door\":\"open\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(verify(now, body, "{\"door\":\"shut\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("False");
  }

  @Test
  void aReceiverFollowingTheDocsRefusesAnOldSignature() throws Exception {
    byte[] body = "{\"door\":\"open\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(verify(now - 3600, body, body)).isEqualTo("False");
  }
}
