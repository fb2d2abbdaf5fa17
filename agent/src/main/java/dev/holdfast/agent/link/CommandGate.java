package dev.holdfast.agent.link;

import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.vault.VaultException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides whether a command that arrived may be acted on: it parses, {@link Command#check} passes
 * (signature, this device, not expired, not issued in the future beyond {@link #SKEW}), its
 * lifetime ({@code expires_at − issued_at}) is at most {@code commands.max-lifetime}, and its id
 * was not accepted before. Accepted ids are kept by {@link AcceptedIds} until their command
 * expires (in the vault, so across restarts: see docs/decisions.md); an id is only remembered once
 * everything else passed, so a forged command cannot burn the id of a real one. The same for every
 * command type. Not thread-safe: the link calls it on its own thread.
 */
public final class CommandGate {
  /** How far ahead of the device's clock a command's issue time may be. */
  public static final Duration SKEW = Duration.ofMinutes(5);
  /** The default of {@code commands.max-lifetime}. */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(5);

  private final PublicKey commandKey;
  private final String deviceId;
  private final Duration maxLifetime;
  private final AcceptedIds accepted;
  private final Clock clock;

  /**
   * @param maxLifetime {@code commands.max-lifetime}: the longest {@code expires_at − issued_at}
   *     accepted, so a captured command cannot be replayed for long
   * @param accepted where accepted ids are kept until their command expires
   */
  public CommandGate(PublicKey commandKey, String deviceId, Duration maxLifetime, AcceptedIds accepted, Clock clock) {
    this.commandKey = Objects.requireNonNull(commandKey, "commandKey");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
    this.accepted = Objects.requireNonNull(accepted, "accepted");
    this.clock = clock;
  }

  /** The verdict on one command payload. */
  public sealed interface Verdict {
    record Accepted(Command command) implements Verdict {}

    /** @param id the command's id if it could be read, for the log */
    record Refused(String id, String reason) implements Verdict {}
  }

  public Verdict admit(byte[] payload) {
    Command command;
    try {
      command = Command.parse(payload);
    } catch (MessageException | RuntimeException e) {
      return new Verdict.Refused("?", "not a readable command: " + e.getMessage());
    }
    Instant now = clock.instant();
    var problem = command.check(commandKey, deviceId, now, SKEW);
    if (problem.isPresent()) {
      return new Verdict.Refused(command.id(), problem.get());
    }
    Duration lifetime = Duration.between(command.issuedAt(), command.expiresAt());
    if (lifetime.isNegative()) {
      return new Verdict.Refused(command.id(), "expires_at is before issued_at");
    }
    if (lifetime.compareTo(maxLifetime) > 0) {
      return new Verdict.Refused(command.id(), "valid for " + lifetime + " (expires_at - issued_at), longer than"
          + " commands.max-lifetime (" + maxLifetime + ")");
    }
    AcceptedIds.Outcome outcome;
    try {
      outcome = accepted.remember(command.id(), command.expiresAt(), now);
    } catch (VaultException e) {
      return new Verdict.Refused(command.id(), "its id could not be recorded, so a replay could not be told"
          + " apart: " + e.getMessage());
    }
    return switch (outcome) {
      case REMEMBERED -> new Verdict.Accepted(command);
      case REPLAYED -> new Verdict.Refused(command.id(), "replayed (this id was accepted before)");
      case FULL -> new Verdict.Refused(command.id(),
          "too many unexpired commands (" + AcceptedIds.MAX + ") to track replays");
    };
  }
}
