package dev.holdfast.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's validated configuration. Built only by {@link ConfigLoader}, which names the setting
 * behind every rejected value.
 *
 * @param dataDir where the vault lives ({@code data-dir})
 * @param logLevel {@code log.level}
 * @param keyFile {@code vault.key-file}, the vault key when no systemd credential is present
 * @param credentialName {@code vault.credential}, the name of the systemd credential with the key
 * @param socket {@code local.socket}, the local API's unix socket
 * @param localIdleTimeout {@code local.idle-timeout}: a local API connection that sends no request
 *     for this long is closed
 * @param commandMaxLifetime {@code commands.max-lifetime}: the longest {@code expires_at −
 *     issued_at} of a command the agent acts on
 * @param gpio {@code gpio.*}: inputs and the status LED; none by default
 * @param provisioningUrl {@code provisioning.url}: the provisioning service's HTTPS address, where a
 *     device whose certificate expired while it was offline recovers ({@code POST /v1/recover});
 *     not set: such a device needs a new enrollment token
 * @param rotationAnswerTimeout {@code rotation.answer-timeout}: how long a rotation waits for the
 *     provisioning service's answer to a renew or confirm before it asks again (after its backoff)
 */
public record AgentConfig(
    Path dataDir,
    LogLevel logLevel,
    Optional<Path> keyFile,
    String credentialName,
    Path socket,
    Duration localIdleTimeout,
    OutboxSettings outbox,
    DeliverySettings delivery,
    LinkSettings link,
    Duration commandMaxLifetime,
    GpioSettings gpio,
    HealthSettings health,
    Optional<URI> provisioningUrl,
    Duration rotationAnswerTimeout) {
  public static final String VAULT_FILE = "agent.db";

  public AgentConfig {
    Objects.requireNonNull(dataDir, "data-dir");
    Objects.requireNonNull(logLevel, "log.level");
    Objects.requireNonNull(keyFile, "vault.key-file");
    Objects.requireNonNull(credentialName, "vault.credential");
    Objects.requireNonNull(socket, "local.socket");
    Checks.positive(localIdleTimeout, "local.idle-timeout");
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(link, "mqtt");
    if (commandMaxLifetime.compareTo(Duration.ofSeconds(1)) < 0
        || commandMaxLifetime.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("commands.max-lifetime must be from 1s to 1d, got " + commandMaxLifetime);
    }
    Objects.requireNonNull(gpio, "gpio");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(provisioningUrl, "provisioning.url");
    if (rotationAnswerTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || rotationAnswerTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "rotation.answer-timeout must be from 1s to 10m, got " + rotationAnswerTimeout);
    }
  }

  public Path vaultFile() {
    return dataDir.resolve(VAULT_FILE);
  }
}
