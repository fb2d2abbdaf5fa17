package dev.holdfast.agent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.config.WebhookUrls;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.holdfast.agent.testing.ManualScheduler;
import org.awaitility.Awaitility;
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
  final MutableClock clock = MutableClock.atTheStartOf2026();

  @BeforeEach
  void start() throws Exception {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 5);
    vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(k), "test"), new SecureRandom());
    OutboxSettings settings = new OutboxSettings(100, 1 << 20, 1024, OutboxSettings.WhenFull.REFUSE,
        Duration.ofHours(1), 2, Duration.ofSeconds(1), Duration.ofMinutes(1));
    outbox = Outbox.open(vault, settings, MutableClock.atTheStartOf2026(), new SplittableRandom(1));
    socket = dir.resolve("run").resolve("agent.sock");
    server = server(socket, new LocalApiServer.Limits(4, Duration.ofSeconds(30)));
    server.start();
  }

  /** A server on {@code path} whose idle time is measured on {@link #clock}; the sweep is run by hand. */
  private LocalApiServer server(Path path, LocalApiServer.Limits limits) {
    return new LocalApiServer(path, new LocalApiHandler(outbox), limits, new ManualScheduler(), clock);
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
    LocalApiServer second = server(socket, new LocalApiServer.Limits(1, Duration.ofSeconds(30)));
    assertThatThrownBy(second::start).isInstanceOf(LocalApiServer.InUseException.class)
        .hasMessageContaining("already listening");
    server.close();
    try (var crashed = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      crashed.bind(UnixDomainSocketAddress.of(socket)); // closing leaves the file, as a crash would
    }
    assertThat(Files.exists(socket)).isTrue();
    server = server(socket, new LocalApiServer.Limits(1, Duration.ofSeconds(30)));
    server.start();
    assertThat(call(Map.of("op", "status"))).containsEntry("ok", true);
  }

  /** A client that connects and then says nothing, once the server has taken it in. */
  private SocketChannel idleClient(int expectedOpen) throws Exception {
    SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == expectedOpen);
    return ch;
  }

  /** True when the server has closed {@code ch} (the read sees end of stream); waits up to 10 s for it. */
  private static boolean closedByServer(SocketChannel ch) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return ch.read(ByteBuffer.allocate(64)) == -1;
      } catch (IOException e) {
        return true;
      }
    }).get(10, TimeUnit.SECONDS);
  }

  private Map<String, Object> callWithin10s(Map<String, Object> request) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call(request);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).get(10, TimeUnit.SECONDS);
  }

  @Test
  void moreIdleConnectionsThanThePlacesDoNotLockANewClientOutTheLongestIdleMakesRoom() throws Exception {
    List<SocketChannel> idle = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      idle.add(idleClient(i + 1));
      clock.advance(Duration.ofSeconds(1));
    }
    try {
      assertThat(callWithin10s(Map.of("op", "status"))).containsEntry("ok", true);
      assertThat(closedByServer(idle.get(0))).as("the longest idle is closed").isTrue();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 3);
      idle.add(idleClient(4));
      assertThat(callWithin10s(Map.of("op", "status"))).containsEntry("ok", true);
      assertThat(closedByServer(idle.get(1))).as("the next longest idle is closed").isTrue();
      assertThat(server.connections()).isLessThanOrEqualTo(4);
    } finally {
      for (SocketChannel ch : idle) {
        ch.close();
      }
    }
  }

  @Test
  void aConnectionIdleForTheTimeoutIsClosedAndOneThatAskedRecentlyIsNot() throws Exception {
    try (SocketChannel quiet = idleClient(1); LocalApiClient active = LocalApiClient.connect(socket)) {
      clock.advance(Duration.ofSeconds(20));
      assertThat(active.call(Map.of("op", "status"))).containsEntry("ok", true);
      clock.advance(Duration.ofSeconds(15));
      assertThat(server.closeIdle()).isEqualTo(1);
      assertThat(closedByServer(quiet)).isTrue();
      assertThat(active.call(Map.of("op", "status"))).as("still served").containsEntry("ok", true);
      clock.advance(Duration.ofSeconds(30));
      // the server may still be finishing the answer's write, during which it never closes a connection
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.closeIdle() == 1);
      assertThatThrownBy(() -> active.call(Map.of("op", "status"))).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aRegularFileAtTheSocketPathIsNeitherDeletedNorReplaced() throws Exception {
    server.close();
    Files.write(socket, "the vault's bytes".getBytes(StandardCharsets.UTF_8));
    LocalApiServer other = server(socket, new LocalApiServer.Limits(1, Duration.ofSeconds(30)));
    assertThatThrownBy(other::start).isInstanceOf(LocalApiServer.NotASocketException.class)
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(socket.toString()).hasMessageContaining("not a socket");
    assertThat(Files.readString(socket)).isEqualTo("the vault's bytes");
  }

  @Test
  void aDirectoryOrASymlinkAtTheSocketPathIsLeftAlone() throws Exception {
    server.close();
    Path target = dir.resolve("precious");
    Files.writeString(target, "keep me");
    Files.createSymbolicLink(socket, target);
    assertThatThrownBy(server(socket, new LocalApiServer.Limits(1, Duration.ofSeconds(30)))::start)
        .isInstanceOf(LocalApiServer.NotASocketException.class);
    assertThat(Files.isSymbolicLink(socket)).isTrue();
    assertThat(Files.readString(target)).isEqualTo("keep me");
    Files.delete(socket);
    Files.createDirectory(socket);
    assertThatThrownBy(server(socket, new LocalApiServer.Limits(1, Duration.ofSeconds(30)))::start)
        .isInstanceOf(LocalApiServer.NotASocketException.class);
    assertThat(Files.isDirectory(socket)).isTrue();
  }

  @Test
  void aContentTypeWithACarriageReturnOrAnotherControlCharacterIsInvalidAtSend() throws Exception {
    for (String type : List.of("text/plain\r\nX-Injected: 1", "text/plain\n", "a\u0000b", "text/plain\u007f", "")) {
      assertThat(call(Map.of("op", "send", "channel", "webhook", "url", "https://x.test/", "content_type", type,
          "body", "x")))
          .as(type).containsEntry("ok", false).containsEntry("error", "invalid")
          .hasEntrySatisfying("message", m -> assertThat((String) m).contains("content_type"));
    }
    assertThat(call(Map.of("op", "send", "channel", "mqtt", "topic", "events", "content_type", "a\tb", "body", "x")))
        .containsEntry("error", "invalid");
    assertThat(outbox.list(false)).isEmpty();
    assertThat(call(Map.of("op", "send", "channel", "webhook", "url", "https://x.test/",
        "content_type", "application/json; charset=utf-8", "body", "x"))).containsEntry("ok", true);
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

  @Test
  void aWebhookUrlOutsideTheAllowListIsRefusedAtSendWithInvalidAndNothingIsQueued() throws Exception {
    server.close();
    LocalApiHandler handler = new LocalApiHandler(new InProcessOutboxPort(outbox, () -> null,
        WebhookUrls.parse("https://hooks.example/in/")), Map.of());
    // as many connections as allowed: each call's connection may still hold its slot when the next comes
    server = new LocalApiServer(socket, handler,
        new LocalApiServer.Limits(LocalApiServer.Limits.MAX_CONNECTIONS, Duration.ofSeconds(30)), new ManualScheduler(),
        clock);
    server.start();
    for (String url : List.of("https://evil.example/in/", "https://hooks.example/admin",
        "https://hooks.example.evil.net/in/x", "https://hooks.example/in/../admin")) {
      assertThat(call(Map.of("op", "send", "channel", "webhook", "url", url, "body", "{}")))
          .as(url).containsEntry("ok", false).containsEntry("error", "invalid")
          .hasEntrySatisfying("message", m -> assertThat((String) m).contains("webhook.allowed-urls"));
    }
    assertThat(outbox.list(false)).isEmpty();
    assertThat(call(Map.of("op", "send", "channel", "webhook", "url", "https://hooks.example/in/door", "body", "{}")))
        .containsEntry("ok", true);
    assertThat(call(Map.of("op", "send", "channel", "sms", "to", "+15551234567", "body", "x")))
        .as("other channels are not affected").containsEntry("ok", true);
  }
}
