package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.secrets.Secrets;
import dev.holdfast.agent.testing.LegacyFixture;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vault written by the agent before the segment log (the committed fixture) opens, and on the
 * first open its queued records, dead letter and channel stats move into the log, whole: every
 * field as that agent showed it, the vault's copies removed, its secrets untouched.
 */
class LegacyVaultUpgradeTest {
  @TempDir Path home;

  private Vault open(LegacyFixture fixture) throws Exception {
    return Vault.open(fixture.dataDir.resolve("agent.db"),
        MasterKeySource.ofKey(KeyFiles.read(fixture.keyFile), "fixture key"), new SecureRandom());
  }

  @Test
  void everyRecordOfTheOldVaultIsInTheLogAfterTheFirstOpenWithEveryField() throws Exception {
    LegacyFixture fixture = LegacyFixture.copyTo(home);
    List<Map<String, Object>> expected = LegacyFixture.expectedRecords();
    assertThat(expected).hasSize(9);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T17:00:00Z"));
    try (Vault vault = open(fixture)) {
      try (Outbox outbox = Outbox.open(vault, OutboxFixture.DEFAULTS, clock, new SplittableRandom(1))) {
        assertThat(outbox.status().queued()).isEqualTo(8);
        assertThat(outbox.status().dead()).isEqualTo(1);
        for (Map<String, Object> e : expected) {
          OutboxRecord r = outbox.find(RecordId.parse((String) e.get("id"))).orElseThrow();
          assertThat(r.channel().wireName()).isEqualTo(e.get("channel"));
          assertThat(r.destination()).isEqualTo(e.get("destination"));
          assertThat(r.idempotencyKey()).isEqualTo(e.get("idempotency_key"));
          assertThat(r.contentType()).isEqualTo(e.get("content_type"));
          byte[] body = e.containsKey("body") ? ((String) e.get("body")).getBytes(StandardCharsets.UTF_8)
              : Base64.getDecoder().decode((String) e.get("body_base64"));
          assertThat(r.payload()).isEqualTo(body);
          assertThat(r.created()).hasToString((String) e.get("created"));
          assertThat(r.expires()).hasToString((String) e.get("expires"));
          assertThat(r.nextAttempt()).hasToString((String) e.get("next_attempt"));
          assertThat((long) r.attempts()).isEqualTo(((Number) e.get("attempts")).longValue());
          assertThat(r.dead()).isEqualTo(e.get("dead"));
          assertThat(r.lastError()).isEqualTo(Optional.ofNullable((String) e.get("last_error")));
        }
        assertThat(outbox.status().channels().get(Channel.WEBHOOK).lastError())
            .contains("no answer: connection refused or unreachable");
        assertThat(outbox.status().channels().get(Channel.MQTT).lastError()).get().asString().startsWith("not configured");
      }
      assertThat(vault.entries(LegacyImport.QUEUE)).as("the vault's copies are gone").isEmpty();
      assertThat(vault.entries(LegacyImport.DEAD)).isEmpty();
      assertThat(vault.entries(LegacyImport.STATS)).isEmpty();
      assertThat(new Secrets(vault).names()).containsExactly("relay-api-key", "webhook-signing");
      assertThat(vault.verify().ok()).isTrue();
    }
    try (Vault vault = open(fixture);
        Outbox outbox = Outbox.open(vault, OutboxFixture.DEFAULTS, clock, new SplittableRandom(1))) {
      assertThat(outbox.status().queued()).as("opened again: nothing moved twice").isEqualTo(8);
      assertThat(outbox.status().dead()).isEqualTo(1);
      RecordId next = outbox.enqueue(OutboxFixture.sms("+15551234567", "after the upgrade"));
      for (Map<String, Object> e : expected) {
        assertThat(RecordId.parse((String) e.get("id"))).isLessThan(next);
      }
    }
  }
}
