package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.credentials.CommandSigner;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RotationRecord;
import dev.holdfast.provisioning.service.ServiceConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * {@code rotate --device ID}: over a service connection that answers rotations itself, sends the
 * device a signed {@code rotate} command and waits until the registry records the rotation it
 * started as confirmed. Waiting reads the registry every {@link #POLL} on the injected scheduler
 * (a rotation takes a few round trips, so a tenth of a second is not what anyone waits for) and
 * ends at the deadline by the injected clock.
 */
public final class RemoteRotation {
  static final Duration COMMAND_LIFETIME = Duration.ofMinutes(5);
  static final Duration POLL = Duration.ofMillis(100);

  private final Registry registry;
  private final CommandSigner signer;
  private final Clock clock;
  private final SecureRandom random;
  private final ScheduledExecutorService scheduler;

  public RemoteRotation(Registry registry, CommandSigner signer, Clock clock, SecureRandom random,
      ScheduledExecutorService scheduler) {
    this.registry = registry;
    this.signer = signer;
    this.clock = clock;
    this.random = random;
    this.scheduler = scheduler;
  }

  /** How it ended: the rotation confirmed, or why not. */
  public sealed interface Outcome {
    record Confirmed(RotationRecord rotation, Duration took) implements Outcome {}

    record Refused(String why) implements Outcome {}

    record TimedOut(Optional<RotationRecord> pending) implements Outcome {}
  }

  /** A signed {@code rotate} command for {@code deviceId}, valid from {@code at} for {@link #COMMAND_LIFETIME}. */
  Command command(String deviceId, Instant at) throws RegistryException {
    byte[] id = new byte[8];
    random.nextBytes(id);
    return signer.sign("rotate-" + HexFormat.of().formatHex(id), deviceId, Command.ROTATE, at,
        at.plus(COMMAND_LIFETIME));
  }

  /** @param connection connected, and answering {@code prov/req} with a {@link RotationService} */
  public Outcome rotate(ServiceConnection connection, String deviceId, Duration timeout)
      throws RegistryException, MqttException, InterruptedException {
    Instant sent = clock.instant();
    Command command = command(deviceId, sent);
    int code = connection.publishAndWait(Topics.commands(deviceId), command.toJson().getBytes(StandardCharsets.UTF_8),
        1, false, timeout.toMillis());
    if (code >= 0x80) {
      return new Outcome.Refused("the broker refused the command to " + Topics.commands(deviceId) + " (reason 0x"
          + Integer.toHexString(code) + "); check its ACL");
    }
    Instant deadline = sent.plus(timeout);
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    ScheduledFuture<?> checks = scheduler.scheduleWithFixedDelay(() -> {
      try {
        Optional<RotationRecord> latest = registry.read(tx -> tx.rotations().find(deviceId))
            .filter(r -> !r.requestedAt().isBefore(sent.minusSeconds(1)));
        Instant now = clock.instant();
        if (latest.isPresent() && latest.get().state() == RotationRecord.State.CONFIRMED) {
          done.complete(new Outcome.Confirmed(latest.get(), Duration.between(sent, now)));
        } else if (!now.isBefore(deadline)) {
          done.complete(new Outcome.TimedOut(latest));
        }
      } catch (RegistryException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    }, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return done.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RegistryException r) {
        throw r;
      }
      throw new IllegalStateException("waiting for the rotation of " + deviceId + " failed", e.getCause());
    } finally {
      checks.cancel(false);
    }
  }
}
