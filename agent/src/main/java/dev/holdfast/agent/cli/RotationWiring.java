package dev.holdfast.agent.cli;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.link.MqttLink;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.agent.local.LocalError;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.rotation.HttpsRecovery;
import dev.holdfast.agent.rotation.MqttRotationLink;
import dev.holdfast.agent.rotation.RotationStep;
import dev.holdfast.agent.rotation.RotationStore;
import dev.holdfast.agent.rotation.RotationView;
import dev.holdfast.agent.rotation.Rotator;
import dev.holdfast.agent.rotation.Trigger;
import dev.holdfast.common.retry.Backoff;
import dev.holdfast.common.testing.HaltAfter;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * How the runtime starts rotation once the device is enrolled and has an MQTT link: the rotator on
 * a thread of its own, over the link; its triggers (a signed {@code rotate} command, the outbox's
 * "credentials rejected", the local API's {@code rotate}); its part of {@code status}.
 */
final class RotationWiring {
  /** Test harness only: the step after whose persisting the process halts as kill -9 would stop it. */
  static final String CRASH_AFTER = "holdfast.test.crash-after-step";
  /** After a failed attempt: from 30 s doubling up to an hour (never a tight loop). */
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1));

  private final Rotator rotator;
  private final RotationStore store;
  private final AgentContext ctx;
  private final ScheduledExecutorService thread;

  private RotationWiring(Rotator rotator, RotationStore store, AgentContext ctx, ScheduledExecutorService thread) {
    this.rotator = rotator;
    this.store = store;
    this.ctx = ctx;
    this.thread = thread;
  }

  /**
   * @param provisioningUrl {@code provisioning.url}: where an expired device recovers
   * @param fleetHttp an HTTPS client trusting only the fleet root, made on first use
   * @param answerTimeout {@code rotation.answer-timeout}
   */
  static RotationWiring start(AgentContext ctx, Vault vault, MqttLink link, Outbox outbox,
      Consumer<CredentialSet> onIdentity, Optional<URI> provisioningUrl, Supplier<HttpClient> fleetHttp,
      Duration answerTimeout) {
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rotation");
      t.setDaemon(true);
      return t;
    });
    MqttRotationLink mqtt = new MqttRotationLink(link, ctx.random(), onIdentity);
    RotationStore store = new RotationStore(vault);
    Rotator rotator = new Rotator(store, mqtt, provisioningUrl.map(url -> new HttpsRecovery(url, fleetHttp)), mqtt,
        BACKOFF, answerTimeout, thread, ctx.clock(), ctx.random(), ctx.random(),
        crashHook(Optional.ofNullable(System.getProperty(CRASH_AFTER))));
    link.onCommand(Command.ROTATE, command -> rotator.command(command.issuedAt()));
    outbox.onCredentialsRejected(channel -> rotator.trigger(Trigger.CREDENTIALS_REJECTED));
    rotator.start();
    return new RotationWiring(rotator, store, ctx, thread);
  }

  /** Halts the process (no shutdown hooks, like kill -9) right after {@code step} is persisted. */
  private static Consumer<RotationStep> crashHook(Optional<String> step) {
    step.ifPresent(s -> Logger.warn("{} is set: this agent halts after persisting rotation step {}", CRASH_AFTER, s));
    return HaltAfter.step(step);
  }

  boolean rotating() {
    return rotator.rotating();
  }

  /** The local API's {@code rotate}: starts a rotation now. */
  Map<String, Function<Map<String, Object>, Map<String, Object>>> localOps() {
    return Map.of("rotate", request -> {
      rotator.trigger(Trigger.LOCAL);
      return LocalApiHandler.ok("rotation", "started");
    });
  }

  /** The {@code rotation} part of {@code status}. */
  Map<String, Object> status() {
    try {
      return RotationView.of(store, rotator.nextAutomatic(), ctx.clock().instant());
    } catch (VaultException e) {
      return LocalApiHandler.error(LocalError.INTERNAL, "the vault could not be read: " + e.getMessage());
    }
  }

  void close() {
    thread.shutdownNow();
  }
}
