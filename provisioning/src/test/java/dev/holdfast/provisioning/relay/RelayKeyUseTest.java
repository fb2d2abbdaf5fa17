package dev.holdfast.provisioning.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.apikeys.ApiKey;
import dev.holdfast.provisioning.apikeys.KeyUsage;
import dev.holdfast.provisioning.apikeys.Scopes;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.testing.CapturingScheduler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay counts each accepted request against its key, and the registry sees the counts only at a flush. */
class RelayKeyUseTest {
  static final String MESSAGE = "{\"to\":\"+15551234567\",\"body\":\"door opened\"}";

  @TempDir Path dir;
  RelayFixture relay;
  final CapturingScheduler scheduler = new CapturingScheduler();

  @BeforeEach
  void setUp() throws Exception {
    relay = new RelayFixture(dir, new RelaySettings(List.of("localhost"), 1024, 10, 60, Duration.ofHours(24),
        URI.create("http://unused"), "", "", Duration.ofSeconds(5), 4));
    relay.keys.usage().schedule(scheduler, KeyUsage.FLUSH_INTERVAL);
  }

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
    relay.close();
  }

  ApiKeyRecord stored(String key) throws Exception {
    return relay.pki.registry.read(tx -> tx.apiKeys().find(ApiKey.FORMAT.idOf(key))).orElseThrow();
  }

  @Test
  void requestsOverHttpReachTheRegistryAtTheScheduledFlushAndNotBefore() throws Exception {
    String used = relay.key(Scopes.MESSAGES_SEND);
    String idle = relay.key(Scopes.MESSAGES_SEND);
    Instant start = relay.pki.clock.instant();
    for (int i = 0; i < 3; i++) {
      relay.pki.clock.advance(Duration.ofSeconds(1));
      assertThat(relay.post(used, null, MESSAGE).statusCode()).isEqualTo(201);
    }
    assertThat(relay.post(idle.substring(0, idle.length() - 1) + "x", null, MESSAGE).statusCode()).isEqualTo(401);

    ApiKeyRecord beforeFlush = stored(used);
    scheduler.periodic.get(0).task().run();
    ApiKeyRecord afterFlush = stored(used);

    assertThat(beforeFlush.requests()).as("nothing durable per request").isZero();
    assertThat(beforeFlush.lastUsedAt()).isEmpty();
    assertThat(afterFlush.requests()).isEqualTo(3);
    assertThat(afterFlush.lastUsedAt()).contains(start.plusSeconds(3));
    assertThat(stored(idle).requests()).as("a refused key is not a use").isZero();
    assertThat(stored(idle).lastUsedAt()).isEmpty();
  }
}
