package dev.holdfast.agent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.local.Views.RecordDetail;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import dev.holdfast.agent.testing.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed outbox port means the same through a running agent's socket and in process: every
 * operation gives equal values both ways, and a refusal carries the same {@link LocalError}.
 */
class OutboxPortTest {
  static final IdentityStatus ENROLLED = new IdentityStatus(true, Optional.of("dev-0123456789abcdef"),
      Optional.of(Instant.parse("2026-06-01T00:00:00Z")), Optional.of("Key12345"),
      Optional.of(Instant.parse("2026-09-01T00:00:00Z")), List.of("messages:send"),
      Optional.of(Instant.parse("2026-01-01T00:00:00Z")), Optional.empty(), Optional.empty());

  @TempDir Path dir;
  Vault vault;
  Outbox outbox;
  LocalApiServer server;
  InProcessOutboxPort inProcess;
  SocketOutboxPort socket;

  @BeforeEach
  void start() throws Exception {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 6);
    vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(k), "test"), new SecureRandom());
    outbox = Outbox.open(vault, new OutboxSettings(100, 1 << 20, 64, OutboxSettings.WhenFull.REFUSE,
        Duration.ofHours(1), 2, Duration.ofSeconds(1), Duration.ofMinutes(1)), MutableClock.atTheStartOf2026(),
        new SplittableRandom(2));
    Path path = dir.resolve("agent.sock");
    server = new LocalApiServer(path, new LocalApiHandler(outbox, () -> ENROLLED),
        new LocalApiServer.Limits(2, Duration.ofSeconds(30)), new ManualScheduler(), MutableClock.atTheStartOf2026());
    server.start();
    inProcess = new InProcessOutboxPort(outbox, () -> ENROLLED);
    socket = SocketOutboxPort.connect(path);
  }

  @AfterEach
  void stop() throws Exception {
    socket.close();
    server.close();
    outbox.close();
    vault.close();
  }

  static NewMessage webhook(String body, String key) {
    return new NewMessage(Channel.WEBHOOK, "https://hooks.example/a", body.getBytes(StandardCharsets.UTF_8),
        "text/plain", Optional.of(key), Optional.of(Duration.ofMinutes(30)));
  }

  @Test
  void everyOperationGivesTheSameValuesThroughTheSocketAsInProcess() throws Exception {
    RecordId viaSocket = socket.send(webhook("one", "k-1"));
    RecordId inside = inProcess.send(new NewMessage(Channel.WEBHOOK, "https://hooks.example/b",
        new byte[] {(byte) 0xff, 'x'}, "application/octet-stream", Optional.empty(), Optional.empty()));

    LocalRequest.ListRecords firstPage = LocalRequest.ListRecords.first(false);
    assertThat(socket.list(firstPage)).isEqualTo(inProcess.list(firstPage));
    assertThat(socket.list(firstPage).records()).hasSize(2);
    assertThat(socket.list(new LocalRequest.ListRecords(false, Optional.empty(), 1)))
        .as("a page of one, more to come").isEqualTo(inProcess.list(new LocalRequest.ListRecords(false, Optional.empty(), 1)))
        .satisfies(page -> assertThat(page.more()).isTrue())
        .satisfies(page -> assertThat(page.records()).extracting(s -> s.id()).containsExactly(viaSocket));
    assertThat(socket.list(new LocalRequest.ListRecords(false, Optional.of(viaSocket), 1000)).records())
        .as("the next page").extracting(s -> s.id()).containsExactly(inside);
    assertThat(socket.status()).isEqualTo(inProcess.status());
    assertThat(socket.status().identity()).isEqualTo(ENROLLED);
    RecordDetail shown = socket.show(viaSocket);
    assertThat(shown.summary()).isEqualTo(inProcess.show(viaSocket).summary());
    assertThat(shown.destination()).isEqualTo("https://hooks.example/a");
    assertThat(shown.contentType()).isEqualTo("text/plain");
    assertThat(shown.summary().expires()).isEqualTo(shown.summary().created().plus(Duration.ofMinutes(30)));
    assertThat(new String(shown.body(), StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(socket.show(inside).body()).as("bytes that are not UTF-8 travel as base64").containsExactly(0xff, 'x');

    socket.retry(inside);
    socket.drop(inside);
    assertThat(inProcess.list(LocalRequest.ListRecords.first(false)).records()).extracting(s -> s.id()).containsExactly(viaSocket);
    assertThat(socket.retryAllDead()).isZero();
  }

  @Test
  void aRefusalCarriesTheSameErrorBothWays() throws Exception {
    RecordId queued = socket.send(webhook("one", "k-1"));
    RecordId missing = RecordId.parse(queued.toString().substring(0, 15) + (queued.toString().endsWith("0") ? "1" : "0"));

    for (OutboxPort port : List.of(socket, inProcess)) {
      assertThatThrownBy(() -> port.send(webhook("other", "k-1"))).isInstanceOfSatisfying(LocalApiException.class,
          e -> assertThat(e.error()).isEqualTo(LocalError.CONFLICT));
      assertThatThrownBy(() -> port.send(webhook("x".repeat(65), "k-2")))
          .isInstanceOfSatisfying(LocalApiException.class, e -> assertThat(e.error()).isEqualTo(LocalError.TOO_LARGE));
      assertThatThrownBy(() -> port.show(missing)).isInstanceOfSatisfying(LocalApiException.class,
          e -> assertThat(e.error()).isEqualTo(LocalError.NOT_FOUND));
      assertThatThrownBy(() -> port.send(new NewMessage(Channel.SMS, "555", new byte[] {'x'},
          NewMessage.SMS_CONTENT_TYPE, Optional.empty(), Optional.empty())))
          .isInstanceOfSatisfying(LocalApiException.class, e -> assertThat(e.error()).isEqualTo(LocalError.INVALID));
    }
  }

  @Test
  void eachRequestHasOneJsonFormThatReadsBackAsTheSameRequest() throws Exception {
    RecordId id = RecordId.parse("0123456789abcdef");
    for (LocalRequest r : List.of(LocalRequest.ListRecords.first(true), new LocalRequest.Show(id),
        new LocalRequest.Retry(id), new LocalRequest.RetryDead(), new LocalRequest.Drop(id),
        new LocalRequest.Status())) {
      assertThat(LocalJson.request(LocalJson.toJson(r))).isEqualTo(r);
    }
    NewMessage m = webhook("body", "k-9");
    assertThat(((LocalRequest.Send) LocalJson.request(LocalJson.toJson(new LocalRequest.Send(m)))).message())
        .isEqualTo(m).satisfies(back -> {
          assertThat(back.contentType()).isEqualTo("text/plain");
          assertThat(back.idempotencyKey()).contains("k-9");
          assertThat(back.ttl()).contains(Duration.ofMinutes(30));
        });
  }

  @Test
  void anAnswerThatIsNotWhatWasAskedIsAnInternalFailureNotACrash() {
    assertThatThrownBy(() -> LocalJson.response(java.util.Map.of("ok", true, "records", "nope"),
        LocalResponse.Listed.class)).isInstanceOfSatisfying(LocalApiException.class,
            e -> assertThat(e.error()).isEqualTo(LocalError.INTERNAL));
    assertThatThrownBy(() -> LocalJson.response(java.util.Map.of("ok", false, "error", "brand_new", "message", "m"),
        LocalResponse.Sent.class)).isInstanceOfSatisfying(LocalApiException.class,
            e -> assertThat(e.error()).isEqualTo(LocalError.INTERNAL));
  }
}
