package dev.holdfast.agent.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/** A real vault in a temporary directory with an outbox on it, a hand-moved clock and seeded randomness. */
final class OutboxFixture implements AutoCloseable {
  static final OutboxSettings DEFAULTS = new OutboxSettings(1000, 1 << 20, 4096,
      OutboxSettings.WhenFull.REFUSE, Duration.ofHours(1), 4, Duration.ofSeconds(1), Duration.ofMinutes(1));
  static final RetryPolicy POLICY = new RetryPolicy(DEFAULTS.retryBase(), DEFAULTS.retryCap());

  final Path file;
  final MutableClock clock = MutableClock.atTheStartOf2026();
  final OutboxSettings settings;
  Vault vault;
  Outbox outbox;

  OutboxFixture(Path dir, OutboxSettings settings) throws VaultException {
    this.file = dir.resolve("agent.db");
    this.settings = settings;
    this.vault = Vault.create(file, key(), new SecureRandom());
    this.outbox = Outbox.open(vault, settings, clock, new SplittableRandom(7));
  }

  OutboxFixture(Path dir) throws VaultException {
    this(dir, DEFAULTS);
  }

  static MasterKeySource key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 3);
    return MasterKeySource.ofKey(Secret.wrap(k), "test key");
  }

  /** Closes everything and opens the vault file again, as a restarted agent would. */
  void reopen() throws VaultException {
    close();
    vault = Vault.open(file, key(), new SecureRandom());
    outbox = Outbox.open(vault, settings, clock, new SplittableRandom(7));
  }

  static NewMessage sms(String to, String body) {
    return new NewMessage(Channel.SMS, to, body.getBytes(StandardCharsets.UTF_8), NewMessage.SMS_CONTENT_TYPE,
        Optional.empty(), Optional.empty());
  }

  static NewMessage webhook(String url, String body) {
    return new NewMessage(Channel.WEBHOOK, url, body.getBytes(StandardCharsets.UTF_8), "application/json",
        Optional.empty(), Optional.empty());
  }

  static NewMessage withKey(NewMessage m, String key) {
    return new NewMessage(m.channel(), m.destination(), m.body(), m.contentType(), Optional.of(key), m.ttl());
  }

  static NewMessage withTtl(NewMessage m, Duration ttl) {
    return new NewMessage(m.channel(), m.destination(), m.body(), m.contentType(), m.idempotencyKey(),
        Optional.of(ttl));
  }

  @Override
  public void close() {
    outbox.close();
    vault.close();
  }
}
