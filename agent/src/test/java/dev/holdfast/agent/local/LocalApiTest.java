package dev.holdfast.agent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local API over a real unix socket, against a real outbox in a real vault. */
class LocalApiTest {
  @TempDir Path dir;
  Vault vault;
  Outbox outbox;
  LocalApiServer server;
  Path socket;

  @BeforeEach
  void start() throws Exception {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 5);
    vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(k), "test"), new SecureRandom());
    OutboxSettings settings = new OutboxSettings(100, 1 << 20, 1024, OutboxSettings.WhenFull.REFUSE,
        Duration.ofHours(1), 2, Duration.ofSeconds(1), Duration.ofMinutes(1));
    outbox = Outbox.open(vault, settings, MutableClock.atTheStartOf2026(), new SplittableRandom(1));
    socket = dir.resolve("run").resolve("agent.sock");
    server = new LocalApiServer(socket, new LocalApiHandler(outbox), Executors.newFixedThreadPool(4));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    outbox.close();
    vault.close();
  }

  private Map<String, Object> call(Map<String, Object> request) throws Exception {
    try (LocalApiClient client = LocalApiClient.connect(socket)) {
      return client.call(request);
    }
  }

  @Test
  void aSendIsAnsweredWithTheIdOfTheDurableRecord() throws Exception {
    Map<String, Object> response = call(Map.of("op", "send", "channel", "sms", "to", "+15551234567",
        "body", "hello", "idempotency_key", "k-42"));
    assertThat(response).containsEntry("ok", true).containsKey("id");
    OutboxRecord r = outbox.find(outbox.list(false).get(0).id()).orElseThrow();
    assertThat(r.id().toString()).isEqualTo(response.get("id"));
    assertThat(r.idempotencyKey()).isEqualTo("k-42");
  }

  @Test
  void badRequestsAreAnsweredWithACodeAndAMessageThatNamesTheField() throws Exception {
    assertThat(call(Map.of("op", "send", "channel", "sms", "to", "5551234", "body", "x")))
        .containsEntry("ok", false).containsEntry("error", "invalid")
        .hasEntrySatisfying("message", m -> assertThat((String) m).contains("E.164"));
    assertThat(call(Map.of("op", "launch")))
        .containsEntry("error", "bad_request")
        .hasEntrySatisfying("message", m -> assertThat((String) m).contains("unknown op \"launch\""));
    assertThat(call(Map.of("op", "send", "channel", "webhook", "url", "https://x.test/", "body", "x".repeat(2000))))
        .containsEntry("error", "too_large");
    assertThat(call(Map.of("op", "show", "id", "not-an-id"))).containsEntry("error", "bad_request");
  }

  @Test
  void aRequestWithoutAnOpOrWithAnOpThatIsNotAStringIsABadRequest() throws Exception {
    assertThat(call(Map.of("channel", "sms"))).containsEntry("ok", false).containsEntry("error", "bad_request");
    assertThat(call(Map.of("op", 7))).containsEntry("ok", false).containsEntry("error", "bad_request");
  }

  @Test
  void aLineThatIsNotJsonGetsAnErrorAndTheConnectionStaysUsable() throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      OutputStream out = Channels.newOutputStream(ch);
      out.write("this is not json\n{\"op\":\"status\"}\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(ch),
          StandardCharsets.UTF_8));
      assertThat(in.readLine()).contains("\"ok\":false").contains("bad_request");
      assertThat(in.readLine()).contains("\"ok\":true").contains("\"queued\":0");
    }
  }

  @Test
  void theSocketIsReadableAndWritableByOwnerAndGroupOnly() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
  }

  @Test
  void aSecondAgentOnTheSameSocketIsRefusedButAStaleSocketFileIsReplaced() throws Exception {
    LocalApiServer second = new LocalApiServer(socket, new LocalApiHandler(outbox), Executors.newFixedThreadPool(1));
    assertThatThrownBy(second::start).isInstanceOf(LocalApiServer.InUseException.class)
        .hasMessageContaining("already listening");
    server.close();
    Files.createFile(socket);
    server = new LocalApiServer(socket, new LocalApiHandler(outbox), Executors.newFixedThreadPool(1));
    server.start();
    assertThat(call(Map.of("op", "status"))).containsEntry("ok", true);
  }

  @Test
  void thePythonExampleInTheDocsQueuesAnSms() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "local-api.md"));
    int start = doc.indexOf("```python\n") + "```python\n".length();
    Path script = dir.resolve("holdfast_send.py");
    Files.writeString(script, doc.substring(start, doc.indexOf("```", start)));
    Process p = new ProcessBuilder("python3", script.toString(), socket.toString(), "+15551234567", "from python")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(outbox.list(false)).singleElement().satisfies(r -> assertThat(r.id().toString()).isEqualTo(out));
    assertThat(outbox.find(RecordId.parse(out))).get()
        .satisfies(r -> assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("from python"));
  }
}
