package dev.holdfast.agent.link;

import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.MessageException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a command that arrived may be acted on: it parses, {@link Command#check} passes
 * (signature, this device, not expired, not issued in the future beyond {@link #SKEW}), and its id
 * was not accepted before. Accepted ids are remembered in memory until their command expires (see
 * docs/decisions.md); an id is only remembered once everything else passed, so a forged command
 * cannot burn the id of a real one. Not thread-safe: the link calls it on its own thread.
 */
final class CommandGate {
  /** How far ahead of the device's clock a command's issue time may be. */
  static final Duration SKEW = Duration.ofMinutes(5);
  /** The most unexpired command ids remembered; past it new commands are refused, not forgotten ones. */
  static final int MAX_REMEMBERED = 10_000;

  private final PublicKey commandKey;
  private final String deviceId;
  private final Clock clock;
  private final Map<String, Instant> seen = new HashMap<>();

  CommandGate(PublicKey commandKey, String deviceId, Clock clock) {
    this.commandKey = Objects.requireNonNull(commandKey, "commandKey");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.clock = clock;
  }

  /** The verdict on one command payload. */
  sealed interface Verdict {
    record Accepted(Command command) implements Verdict {}

    /** @param id the command's id if it could be read, for the log */
    record Refused(String id, String reason) implements Verdict {}
  }

  Verdict admit(byte[] payload) {
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
    seen.values().removeIf(expires -> !now.isBefore(expires));
    if (seen.containsKey(command.id())) {
      return new Verdict.Refused(command.id(), "replayed (this id was accepted before)");
    }
    if (seen.size() >= MAX_REMEMBERED) {
      return new Verdict.Refused(command.id(), "too many unexpired commands (" + MAX_REMEMBERED + ") to track replays");
    }
    seen.put(command.id(), command.expiresAt());
    return new Verdict.Accepted(command);
  }
}
