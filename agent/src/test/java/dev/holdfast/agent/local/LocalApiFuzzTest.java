package dev.holdfast.agent.local;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What a local client (anyone in the socket's group) can send: any bytes, read as request lines
 * the way the server reads them, each answered by the handler against a real outbox in a real
 * vault. Every line is refused as bad JSON or answered with {@code ok} true, or false with a known
 * error code and a message; the handler never throws, and every answer is JSON that reads back.
 *
 * <p>The vault lives in a temp directory for the whole run (one per JVM): after 100 accepted sends
 * the outbox is full and further sends are answered {@code full}, which still runs their validation.
 */
class LocalApiFuzzTest {
  private static final Set<String> CODES =
      Set.of("bad_request", "invalid", "too_large", "full", "not_found", "conflict");
  private static LocalApiHandler handler;

  private static synchronized LocalApiHandler handler() throws Exception {
    if (handler == null) {
      Path dir = Files.createTempDirectory("holdfast-fuzz-local-api");
      byte[] k = new byte[32];
      Arrays.fill(k, (byte) 7);
      Vault vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(k), "fuzz"),
          new SecureRandom());
      OutboxSettings settings = new OutboxSettings(100, 1 << 20, 4096, OutboxSettings.WhenFull.REFUSE,
          Duration.ofHours(1), 2, Duration.ofSeconds(1), Duration.ofMinutes(1));
      handler = new LocalApiHandler(Outbox.open(vault, settings, MutableClock.atTheStartOf2026(),
          new SplittableRandom(1)));
    }
    return handler;
  }

  @FuzzTest
  void anyLinesAreRefusedOrAnsweredWithOkOrAKnownErrorCode(byte[] input) throws Exception {
    LineChannel lines = new LineChannel(new ByteArrayInputStream(input), new ByteArrayOutputStream());
    for (int i = 0; i < 16; i++) {
      Optional<Map<String, Object>> request;
      try {
        request = lines.readObject();
      } catch (JsonParser.JsonException | LineChannel.LineTooLong refused) {
        continue;
      } catch (IOException e) {
        throw new AssertionError("reading lines from memory failed", e);
      }
      if (request.isEmpty()) {
        return;
      }
      Map<String, Object> answer = handler().handle(request.get());
      Object ok = answer.get("ok");
      if (!(ok instanceof Boolean)) {
        throw new AssertionError("an answer without ok: " + answer);
      }
      if (!(Boolean) ok && (!CODES.contains(answer.get("error")) || !(answer.get("message") instanceof String))) {
        throw new AssertionError("an error answer without a known code and a message: " + answer);
      }
      JsonParser.parseObject(Json.write(answer));
    }
  }
}
