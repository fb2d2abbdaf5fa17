package dev.holdfast.agent.link;

import dev.holdfast.common.net.NoDelaySockets;
import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.common.retry.Backoff;
import dev.holdfast.protocol.messages.StateMessage;
import dev.holdfast.protocol.messages.Topics;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.tinylog.Logger;

/**
 * The agent's MQTT v5 connection (docs/link.md). Everything it decides runs on the one thread of
 * its scheduler: Paho's callbacks are handed over to it, so its fields need no locks. It reconnects
 * by itself with {@link Backoff} (Paho's automatic reconnect is neither jittered nor testable),
 * republishes its retained state when it changes (checked every {@link #STATE_CHECK}) and every
 * {@code mqtt.state-interval}, and acts on signed commands that pass the {@link CommandGate}.
 */
public final class MqttLink implements Publisher, AutoCloseable {
  /** How often the state is compared with the last one published: the debounce of state changes. */
  static final Duration STATE_CHECK = Duration.ofSeconds(2);
  /** A connection that lasted this long resets the backoff when it drops. */
  static final Duration STABLE = Duration.ofMinutes(1);

  private final String deviceId;
  private final LinkSettings settings;
  private final StateSource source;
  private final CommandGate gate;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final RandomGenerator random;
  private final Backoff backoff;
  private final MqttAsyncClient client;
  private final MqttConnectionOptions options;
  private final Map<String, Consumer<Command>> handlers = new ConcurrentHashMap<>();
  private volatile Consumer<byte[]> provisioningAnswers = payload -> Logger.debug("a provisioning answer nobody waits for");
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private volatile LinkState state = LinkState.NEW;
  private volatile LinkStatus status;
  private volatile boolean stopping;
  private final FailureLog failureLog = new FailureLog();
  // only touched on the scheduler thread
  private long generation;
  private int failures;
  private Instant connectedAt = Instant.MIN;
  private StateMessage lastContent;
  private Optional<String> pong = Optional.empty();
  private Optional<java.util.concurrent.CompletableFuture<Void>> switching = Optional.empty();

  private MqttLink(LinkSettings settings, String deviceId, MqttAsyncClient client, MqttConnectionOptions options,
      CommandGate gate, StateSource source, ScheduledExecutorService scheduler, Clock clock, RandomGenerator random) {
    this.settings = settings;
    this.deviceId = deviceId;
    this.client = client;
    this.options = options;
    this.gate = gate;
    this.source = source;
    this.scheduler = scheduler;
    this.clock = clock;
    this.random = random;
    this.backoff = new Backoff(settings.reconnectBase(), settings.reconnectCap());
    this.status = LinkStatus.started(clock.instant());
  }

  /**
   * Creates the link and starts connecting; returns at once.
   *
   * @param deviceId the certificate's CN: MQTT client id and the device part of every topic
   * @param tls sockets that present the device certificate and trust the fleet root
   * @param commandKey the fleet's command-signing public key; commands are capped at {@link
   *     CommandGate#DEFAULT_MAX_LIFETIME} and their ids kept in memory only
   * @param scheduler single-threaded; the link's logic runs only on it
   * @throws IllegalArgumentException if {@code mqtt.broker} is not set or is not usable
   */
  public static MqttLink start(LinkSettings settings, String deviceId, SSLSocketFactory tls, PublicKey commandKey,
      StateSource source, ScheduledExecutorService scheduler, Clock clock, RandomGenerator random) {
    return start(settings, deviceId, tls, new CommandGate(commandKey, deviceId, CommandGate.DEFAULT_MAX_LIFETIME,
        AcceptedIds.inMemory(), clock), source, scheduler, clock, random);
  }

  /**
   * As above, with the gate commands pass: its lifetime cap and where accepted ids are kept (the
   * running agent keeps them in the vault, {@link VaultAcceptedIds}).
   */
  public static MqttLink start(LinkSettings settings, String deviceId, SSLSocketFactory tls, CommandGate gate,
      StateSource source, ScheduledExecutorService scheduler, Clock clock, RandomGenerator random) {
    String broker = settings.broker()
        .orElseThrow(() -> new IllegalArgumentException("mqtt.broker is not set: the agent has no MQTT link"))
        .toString();
    MqttAsyncClient client;
    try {
      // The outbox is the durable store: Paho keeps only what is in flight, in memory.
      client = new MqttAsyncClient(broker, deviceId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("cannot use mqtt.broker = " + broker + ": " + e.getMessage(), e);
    }
    MqttConnectionOptions options = LinkOptions.of(settings, deviceId, tls, source.current().version());
    MqttLink link = new MqttLink(settings, deviceId, client, options, gate, source, scheduler, clock, random);
    client.setCallback(new LinkCallback(link));
    link.onLinkThread(link::begin);
    return link;
  }

  /** Acts on accepted commands of {@code type} (other than ping) on the link's thread. */
  public void onCommand(String type, Consumer<Command> handler) {
    handlers.put(type, handler);
  }

  /** Receives what arrives on the device's {@code prov/res} (rotation answers), on the link's thread. */
  public void onProvisioningAnswer(Consumer<byte[]> listener) {
    provisioningAnswers = listener;
  }

  /**
   * Reconnects presenting another certificate of this device (a rotation's new one, or the old one
   * taken back): the connection open now is dropped, the next is made with {@code tls}. Completes
   * once connected with it; fails when the link stops first.
   */
  public java.util.concurrent.CompletableFuture<Void> useIdentity(SSLSocketFactory tls) {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    onLinkThread(() -> {
      if (stopping) {
        done.completeExceptionally(new IllegalStateException("the link is stopped"));
        return;
      }
      switching.ifPresent(earlier -> earlier.completeExceptionally(new IllegalStateException("superseded")));
      switching = Optional.of(done);
      options.setSocketFactory(NoDelaySockets.wrap(tls));
      if (state == LinkState.CONNECTED || state == LinkState.CONNECTING) {
        LinkCallback.abort(client);
      }
      failures = 0;
      connect();
    });
    return done;
  }

  public LinkState state() {
    return state;
  }

  /** The state, since when, and the last failure: for {@code status} and the health check. */
  public LinkStatus status() {
    return status;
  }

  /**
   * Completes once the link's thread has run a task: a link whose thread is stuck never completes
   * it (the agent's watchdog check). Completes at once when the link is stopped.
   */
  public java.util.concurrent.CompletableFuture<Void> probe() {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    try {
      scheduler.execute(() -> done.complete(null));
    } catch (RejectedExecutionException e) {
      done.complete(null);
    }
    return done;
  }

  public String deviceId() {
    return deviceId;
  }

  private void begin() {
    long check = STATE_CHECK.toMillis();
    long interval = settings.stateInterval().toMillis();
    timers.add(scheduler.scheduleWithFixedDelay(() -> guarded(() -> publishState(false)), check, check,
        TimeUnit.MILLISECONDS));
    timers.add(scheduler.scheduleAtFixedRate(() -> guarded(() -> publishState(true)), interval, interval,
        TimeUnit.MILLISECONDS));
    connect();
  }

  private void connect() {
    if (stopping) {
      return;
    }
    long attempt = ++generation;
    moveTo(LinkState.CONNECTING, "to " + settings.broker().orElseThrow());
    try {
      client.connect(options, null, LinkCallback.listener(
          token -> onLinkThread(() -> connected(attempt, token.getSessionPresent())),
          failure -> onLinkThread(() -> connectFailed(attempt, LinkCallback.describe(failure)))));
    } catch (MqttException e) {
      connectFailed(attempt, LinkCallback.describe(e));
      return;
    }
    // Paho's connection timeout covers the TCP connect; this also covers a CONNACK that never comes.
    long watchdog = settings.timeout().plusSeconds(1).toMillis();
    scheduler.schedule(() -> guarded(() -> {
      if (attempt == generation && state == LinkState.CONNECTING) {
        LinkCallback.abort(client);
        connectFailed(attempt, "no CONNACK within " + settings.timeout() + " (mqtt.timeout)");
      }
    }), watchdog, TimeUnit.MILLISECONDS);
  }

  private void connected(long attempt, boolean sessionPresent) {
    if (attempt != generation || stopping || state != LinkState.CONNECTING) {
      return;
    }
    connectedAt = clock.instant();
    moveTo(LinkState.CONNECTED, sessionPresent ? "(session resumed)" : "(new session)");
    subscribe(Topics.provisioningResponses(deviceId));
    switching.ifPresent(done -> done.complete(null));
    switching = Optional.empty();
    try {
      client.subscribe(Topics.commands(deviceId), 1, null, LinkCallback.listener(
          token -> LinkCallback.checkSubAck(token, Topics.commands(deviceId)),
          failure -> Logger.warn("could not subscribe to commands: {}", LinkCallback.describe(failure))));
    } catch (MqttException e) {
      Logger.warn("could not subscribe to commands: {}", LinkCallback.describe(e));
    }
    publishState(true);
  }

  private void connectFailed(long attempt, String reason) {
    if (attempt != generation || stopping || state != LinkState.CONNECTING) {
      return;
    }
    retryLater("could not connect: " + reason);
  }

  /** Called (via Paho) when an established connection drops. */
  void lost(String reason) {
    if (stopping || state != LinkState.CONNECTED) {
      return;
    }
    if (!clock.instant().isBefore(connectedAt.plus(STABLE))) {
      failures = 0;
    }
    retryLater("connection lost: " + reason);
  }

  private void retryLater(String reason) {
    Duration delay = backoff.delay(failures, random);
    boolean firstInRow = failures == 0 || state == LinkState.CONNECTED;
    failures = Math.min(failures + 1, 62);
    Instant now = clock.instant();
    Instant downSince = status.downSince().orElse(now);
    LinkState previous = state;
    moveTo(LinkState.WAITING, "");
    status = status.failed(reason, now, failures);
    String next = "; next attempt in " + delay.toMillis() + " ms";
    FailureLog.Decision log = failureLog.failure(firstInRow, now);
    if (log.warn() && firstInRow) {
      Logger.warn("mqtt link {} -> {}: {}{}", previous, LinkState.WAITING, reason, next);
    } else if (log.warn()) {
      Logger.warn("mqtt link still down since {} ({} attempts failed in a row): {}{}", downSince, failures, reason,
          next);
    } else {
      Logger.debug("mqtt link {} -> {}: {}{}", previous, LinkState.WAITING, reason, next);
    }
    long waitingFor = ++generation;
    // a reconnect asked for meanwhile (useIdentity) makes this attempt moot
    scheduler.schedule(() -> guarded(() -> {
      if (waitingFor == generation) {
        connect();
      }
    }), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void subscribe(String topic) {
    try {
      client.subscribe(topic, 1, null, LinkCallback.listener(token -> LinkCallback.checkSubAck(token, topic),
          failure -> Logger.warn("could not subscribe to {}: {}", topic, LinkCallback.describe(failure))));
    } catch (MqttException e) {
      Logger.warn("could not subscribe to {}: {}", topic, LinkCallback.describe(e));
    }
  }

  /** Called (via Paho) for each message on a subscribed topic. */
  void messageArrived(String topic, byte[] payload) {
    if (topic.equals(Topics.provisioningResponses(deviceId))) {
      provisioningAnswers.accept(payload);
    } else {
      commandArrived(payload);
    }
  }

  /** Called for each message on the command topic. */
  void commandArrived(byte[] payload) {
    CommandGate.Verdict verdict = gate.admit(payload);
    if (verdict instanceof CommandGate.Verdict.Accepted a) {
      accepted(a.command());
    } else if (verdict instanceof CommandGate.Verdict.Refused r) {
      Logger.warn("command {} refused: {}", LinkCallback.printable(r.id()), LinkCallback.printable(r.reason()));
    }
  }

  private void accepted(Command command) {
    String id = LinkCallback.printable(command.id());
    if (command.type().equals(Command.PING)) {
      Logger.info("command {} (ping) accepted: publishing pong", id);
      pong = Optional.of(command.id());
      publishState(true);
      return;
    }
    Consumer<Command> handler = handlers.get(command.type());
    if (handler == null) {
      Logger.warn("command {} of type '{}' is not handled by this agent; ignored", id,
          LinkCallback.printable(command.type()));
      return;
    }
    Logger.info("command {} ({}) accepted", id, LinkCallback.printable(command.type()));
    handler.accept(command);
  }

  /** What the retained state says now; equal to the last one when nothing changed. */
  private StateMessage state(boolean online) {
    DeviceState s = source.current();
    return new StateMessage(deviceId, online, s.version(), s.certificateNotAfter(), s.apiKeyExpires(), s.outboxDepth(),
        s.lastDelivery(), pong);
  }

  private void publishState(boolean always) {
    if (state != LinkState.CONNECTED) {
      return;
    }
    StateMessage content = state(true);
    if (!always && content.equals(lastContent)) {
      return;
    }
    lastContent = content;
    try {
      client.publish(Topics.state(deviceId), content.toJson(clock.instant()), 1, true, null,
          LinkCallback.listener(token -> {
            if (LinkCallback.reasonCode(token) >= 0x80) {
              Logger.warn("the broker refused the state (reason code 0x{})",
                  Integer.toHexString(LinkCallback.reasonCode(token)));
            }
          }, failure -> onLinkThread(() -> lastContent = null)));
    } catch (MqttException e) {
      lastContent = null; // try again at the next check
      Logger.debug("could not publish state: {}", LinkCallback.describe(e));
    }
  }

  @Override
  public PublishResult publish(String topic, byte[] payload, String contentType, Map<String, String> userProperties,
      Duration timeout) {
    LinkState now = state;
    if (now != LinkState.CONNECTED || !client.isConnected()) {
      return new PublishResult.NotConnected(now.name().toLowerCase(java.util.Locale.ROOT));
    }
    MqttMessage message = new MqttMessage(payload, 1, false, new MqttProperties());
    message.getProperties().setContentType(contentType);
    message.getProperties().setUserProperties(
        userProperties.entrySet().stream().map(e -> new UserProperty(e.getKey(), e.getValue())).toList());
    try {
      IMqttToken token = client.publish(topic, message);
      token.waitForCompletion(timeout.toMillis());
      return new PublishResult.Acked(LinkCallback.reasonCode(token));
    } catch (MqttException e) {
      if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
        return new PublishResult.TimedOut();
      }
      if (!client.isConnected()) {
        return new PublishResult.NotConnected("connection lost");
      }
      return new PublishResult.Failed(LinkCallback.describe(e));
    }
  }

  /**
   * Publishes the offline state (retained) and disconnects cleanly, so the broker does not send
   * the last will; waits up to twice {@code mqtt.timeout}.
   */
  @Override
  public void close() {
    stopping = true;
    Duration wait = settings.timeout().multipliedBy(2).plusSeconds(1);
    try {
      scheduler.submit(this::stop).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      stop();
    } catch (ExecutionException | TimeoutException e) {
      Logger.warn("the MQTT link did not stop cleanly: {}", e.getMessage());
      LinkCallback.release(client);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LinkCallback.release(client);
    }
  }

  private void stop() {
    timers.forEach(t -> t.cancel(false));
    long timeout = settings.timeout().toMillis();
    if (state == LinkState.CONNECTED && client.isConnected()) {
      try {
        client.publish(Topics.state(deviceId), state(false).toJson(clock.instant()), 1, true)
            .waitForCompletion(timeout);
        client.disconnect(timeout).waitForCompletion(timeout);
      } catch (MqttException e) {
        Logger.warn("could not publish the offline state: {}", LinkCallback.describe(e));
      }
    }
    LinkCallback.release(client);
    switching.ifPresent(done -> done.completeExceptionally(new IllegalStateException("the link stopped")));
    moveTo(LinkState.STOPPED, "");
  }

  private void moveTo(LinkState next, String detail) {
    LinkState previous = state;
    state = next;
    if (previous == next) {
      return;
    }
    status = status.moved(next, clock.instant());
    if (next == LinkState.WAITING) {
      return; // retryLater logs it, at a bounded rate (FailureLog)
    }
    // a broker down for hours: the attempts after the first failure are debug
    if (failures > 0 && next == LinkState.CONNECTING) {
      Logger.debug("mqtt link {} -> {} {}", previous, next, detail);
    } else {
      Logger.info("mqtt link {} -> {} {}", previous, next, detail);
    }
  }

  /** Runs {@code task} on the link's thread; nothing runs once the scheduler is shut down. */
  void onLinkThread(Runnable task) {
    try {
      scheduler.execute(() -> guarded(task));
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private static void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      Logger.error(e, "mqtt link task failed");
    }
  }
}
