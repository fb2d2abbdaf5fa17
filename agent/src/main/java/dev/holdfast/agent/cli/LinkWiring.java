package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.agent.delivery.MqttSender;
import dev.holdfast.agent.delivery.NotConfigured;
import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.agent.link.AcceptedIds;
import dev.holdfast.agent.link.CommandGate;
import dev.holdfast.agent.link.DeviceState;
import dev.holdfast.agent.link.MqttLink;
import dev.holdfast.agent.link.StateSource;
import dev.holdfast.agent.outbox.ChannelStats;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxStatus;
import dev.holdfast.agent.outbox.Sender;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;

/**
 * How the runtime starts the MQTT link once the device has an identity (docs/link.md, "Wiring"):
 * the identity supplies the device id, the TLS socket factory, the command key and the expiries;
 * the outbox supplies its depth and last delivery. {@link AgentRuntime} calls it at start.
 */
final class LinkWiring {
  private LinkWiring() {}

  /**
   * How commands are admitted: the lifetime cap ({@code commands.max-lifetime}) and where accepted
   * ids are kept (the running agent: its vault, so a restart does not reopen the replay window).
   */
  record Commands(Duration maxLifetime, AcceptedIds accepted) {
    static Commands inMemory() {
      return new Commands(CommandGate.DEFAULT_MAX_LIFETIME, AcceptedIds.inMemory());
    }

    CommandGate gate(PublicKey commandKey, String deviceId, Clock clock) {
      return new CommandGate(commandKey, deviceId, maxLifetime, accepted, clock);
    }
  }

  /**
   * Starts the link for the enrolled {@code identity}: its certificate for TLS, its device id, its
   * pinned command key; the state shows its certificate and API key expiries and the outbox.
   * Empty when {@code mqtt.broker} is not set. A rotated identity needs a new link.
   */
  static Optional<MqttLink> start(LinkSettings settings, CredentialSet identity, Outbox outbox, Commands commands,
      SecureRandom secureRandom, Clock clock, RandomGenerator random) {
    return start(settings, identity.deviceId(), TlsContexts.client(identity, secureRandom).getSocketFactory(),
        () -> commands.gate(identity.commandKey(), identity.deviceId(), clock),
        state(outbox, () -> Optional.of(identity.certificateNotAfter()),
            () -> Optional.of(identity.apiKeyExpiresAt())), clock, random);
  }

  /** Starts the link on its own thread; empty when {@code mqtt.broker} is not set. */
  static Optional<MqttLink> start(LinkSettings settings, String deviceId, SSLSocketFactory tls, PublicKey commandKey,
      Commands commands, StateSource state, Clock clock, RandomGenerator random) {
    return start(settings, deviceId, tls, () -> commands.gate(commandKey, deviceId, clock), state, clock, random);
  }

  private static Optional<MqttLink> start(LinkSettings settings, String deviceId, SSLSocketFactory tls,
      Supplier<CommandGate> gate, StateSource state, Clock clock, RandomGenerator random) {
    if (settings.broker().isEmpty()) {
      return Optional.empty();
    }
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mqtt-link");
      t.setDaemon(true);
      return t;
    });
    return Optional.of(MqttLink.start(settings, deviceId, tls, gate.get(), state, thread, clock, random));
  }

  /** The sender of the {@code mqtt} channel: through the link, or waiting for one. */
  static Sender sender(Optional<MqttLink> link, LinkSettings settings) {
    return link.<Sender>map(l -> new MqttSender(l, l.deviceId(), settings.timeout())).orElse(NotConfigured.NO_MQTT_LINK);
  }

  /** The published state: the outbox's depth and last delivery, the identity's expiries. */
  static StateSource state(Outbox outbox, Supplier<Optional<Instant>> certificateNotAfter,
      Supplier<Optional<Instant>> apiKeyExpires) {
    String version = Optional.ofNullable(AgentCommand.class.getPackage().getImplementationVersion()).orElse("dev");
    return () -> {
      OutboxStatus status = outbox.status();
      Optional<Instant> last = status.channels().values().stream().map(ChannelStats::lastDelivery)
          .flatMap(Optional::stream).max(Instant::compareTo);
      return new DeviceState(version, certificateNotAfter.get(), apiKeyExpires.get(), status.queued(), last);
    };
  }
}
