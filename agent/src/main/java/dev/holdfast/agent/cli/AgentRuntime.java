package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.gpio.GpioHardware;
import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.delivery.HttpDelivery;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.agent.link.MqttLink;
import dev.holdfast.agent.link.VaultAcceptedIds;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.local.InProcessOutboxPort;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.agent.local.LocalApiServer;
import dev.holdfast.agent.outbox.Dispatcher;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.RetryPolicy;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.OutboxStatus;
import dev.holdfast.agent.service.Attempts;
import dev.holdfast.agent.service.Liveness;
import dev.holdfast.agent.service.OnDemandThreads;
import dev.holdfast.agent.service.RuntimeStatus;
import dev.holdfast.agent.service.ServiceManager;
import dev.holdfast.agent.service.ServiceWatch;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import dev.holdfast.vault.Vault;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.tinylog.Logger;

/**
 * The long-running agent, wired from a validated configuration: vault, outbox, dispatcher, local
 * API and, once the device is enrolled and {@code mqtt.broker} is set, the MQTT link, and the
 * configured GPIO pins, with the threads and the HTTP clients they run on. {@link #close()} stops them in the order that loses
 * nothing: no new requests, attempts in flight finish (or stay queued), the link says offline,
 * queued commits land, the vault closes.
 */
final class AgentRuntime implements AutoCloseable {
  private final Vault vault;
  private final Outbox outbox;
  private final Dispatcher dispatcher;
  private final LocalApiServer server;
  private final Optional<MqttLink> link;
  private final Optional<RotationWiring> rotation;
  private final GpioWiring gpio;
  private final ServiceWatch watch;
  private final Duration grace;

  private AgentRuntime(Vault vault, Outbox outbox, Dispatcher dispatcher, LocalApiServer server,
      Optional<MqttLink> link, Optional<RotationWiring> rotation, GpioWiring gpio, ServiceWatch watch,
      Duration grace) {
    this.vault = vault;
    this.outbox = outbox;
    this.dispatcher = dispatcher;
    this.server = server;
    this.link = link;
    this.rotation = rotation;
    this.gpio = gpio;
    this.watch = watch;
    this.grace = grace;
  }

  static AgentRuntime start(AgentContext ctx, AgentConfig config) throws Exception {
    return start(ctx, config, GpioHardware.system());
  }

  /** @param hardware where configured pins come from (this machine's GPIO; Pi4J's mock in tests) */
  static AgentRuntime start(AgentContext ctx, AgentConfig config, GpioHardware hardware) throws Exception {
    // the pins first: a wrong pin stops the agent before it touches the vault, and the LED shows "starting"
    GpioWiring gpio = GpioWiring.start(config, hardware, ctx.clock());
    Vault vault;
    try {
      vault = VaultAccess.open(ctx, config);
    } catch (Exception | Error e) {
      gpio.vaultFailed();
      throw e;
    }
    Outbox outbox = null;
    Optional<MqttLink> link = Optional.empty();
    try {
      outbox = Outbox.open(vault, config.outbox(), ctx.clock(), ctx.random());
      Optional<CredentialSet> identity = new IdentityStore(vault).current();
      // The JDK's HTTP client is made only where it is used (a recovery, sms.provider = twilio): it loads the TLS
      // stack and about 1,500 classes and starts threads. Deliveries use HttpURLConnection (HttpDelivery).
      Lazy<ExecutorService> httpThreads = new Lazy<>(() -> Executors.newCachedThreadPool(named("http")));
      Lazy<HttpClient> http = new Lazy<>(() -> http(config, httpThreads.get()).build());
      // the relay is the fleet's own server: once enrolled, the API key goes only to a server the pinned root vouches for
      Lazy<SSLContext> fleetTls = new Lazy<>(() -> TlsContexts.trustingOnly(identity.get().fleetRoot(), ctx.random()));
      Lazy<HttpClient> relayHttp = identity.isEmpty() ? http
          : new Lazy<>(() -> http(config, httpThreads.get()).sslContext(fleetTls.get()).build());
      Supplier<SSLSocketFactory> relayTls = identity.isEmpty() ? HttpDelivery.PLATFORM_TLS
          : () -> fleetTls.get().getSocketFactory();
      AtomicReference<CredentialSet> shown = new AtomicReference<>(identity.orElse(null));
      link = startLink(ctx, config, identity, shown, outbox, vault);
      Outbox started = outbox;
      Optional<RotationWiring> rotation =
          link.map(l -> RotationWiring.start(ctx, vault, l, started, shown::set, config.provisioningUrl(),
              relayHttp, config.rotationAnswerTimeout()));
      if (config.delivery().webhookSigningSecret().isPresent()
          && !config.delivery().webhookAllowedUrls().restricted()) {
        Logger.warn("webhook.signing-secret is set but webhook.allowed-urls is not: anyone who can use the local API"
            + " socket can have this agent sign webhooks to any URL (docs/delivery.md)");
      }
      Attempts attempts = new Attempts();
      Function<OutboxRecord, Sender> wired = SenderWiring.build(config.delivery(), vault, relayTls, http,
          LinkWiring.sender(link, config.link()), ctx.clock());
      Map<Channel, Sender> counted = new EnumMap<>(Channel.class);
      for (Channel c : Channel.values()) {
        counted.put(c, attempts.counting(c, r -> wired.apply(r).send(r)));
      }
      Function<OutboxRecord, Sender> senders = r -> counted.get(r.channel());
      int concurrency = config.outbox().concurrency();
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("dispatch"));
      ExecutorService workers = OnDemandThreads.create(concurrency, named("deliver"));
      Dispatcher dispatcher = new Dispatcher(outbox, senders,
          new RetryPolicy(config.outbox().retryBase(), config.outbox().retryCap()), concurrency, ctx.clock(),
          scheduler, workers);
      ServiceWatch watch = watch(ctx, outbox, scheduler, link);
      Optional<MqttLink> linked = link;
      Map<String, Function<Map<String, Object>, Map<String, Object>>> ops = new LinkedHashMap<>(gpio.localOps());
      rotation.ifPresent(r -> ops.putAll(r.localOps()));
      LocalApiServer server = new LocalApiServer(config.socket(), new LocalApiHandler(
          new InProcessOutboxPort(outbox, IdentityStatus.of(new IdentityStore(vault)),
              config.delivery().webhookAllowedUrls(), status -> {
                Map<String, Object> json = new LinkedHashMap<>(RuntimeStatus.json(status, linked.map(MqttLink::status),
                    watch.stuck(), attempts, config.health(), ctx.clock().instant()));
                rotation.ifPresent(r -> json.put("rotation", r.status()));
                return json;
              }),
          ops),
          new LocalApiServer.Limits(LocalApiServer.Limits.MAX_CONNECTIONS, config.localIdleTimeout()),
          Executors.newSingleThreadScheduledExecutor(named("local-api-idle")), ctx.clock());
      server.start();
      dispatcher.start();
      gpio.running(outbox, link, identity.map(CredentialSet::deviceId), identity.map(CredentialSet::certificateNotAfter),
          identity.map(CredentialSet::apiKeyExpiresAt),
          rotation.<java.util.function.BooleanSupplier>map(r -> r::rotating).orElse(GpioWiring.NO_ROTATION));
      OutboxStatus now = outbox.status();
      Logger.info("holdfast-agent running: {} queued, {} dead; vault {}", now.queued(), now.dead(), vault.file());
      watch.ready();
      return new AgentRuntime(vault, outbox, dispatcher, server, link, rotation, gpio, watch,
          config.delivery().timeout().plusSeconds(2));
    } catch (Exception | Error e) {
      gpio.close();
      link.ifPresent(MqttLink::close);
      if (outbox != null) {
        outbox.close();
      }
      vault.close();
      throw e;
    }
  }

  GpioWiring gpio() {
    return gpio;
  }

  /**
   * The watchdog's probes: the dispatcher's thread, the outbox (its status takes the store's lock),
   * the link's thread. The status line reads the outbox's last answer, so it never waits on a hung
   * store.
   */
  private static ServiceWatch watch(AgentContext ctx, Outbox outbox, ScheduledExecutorService dispatch,
      Optional<MqttLink> link) {
    AtomicReference<OutboxStatus> last = new AtomicReference<>(outbox.status());
    ExecutorService probeThread = Executors.newSingleThreadExecutor(named("probe"));
    Map<String, Supplier<CompletableFuture<?>>> probes = new LinkedHashMap<>();
    probes.put("dispatcher", () -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      dispatch.execute(() -> done.complete(null));
      return done;
    });
    probes.put("outbox", () -> CompletableFuture.supplyAsync(outbox::status, probeThread).thenAccept(last::set));
    link.ifPresent(l -> probes.put("mqtt link", l::probe));
    Supplier<String> line = () -> RuntimeStatus.line(last.get(), link.map(MqttLink::status));
    return new ServiceWatch(ServiceManager.fromEnvironment(ctx.env()), new Liveness(probes), line,
        ServiceWatch.watchdogInterval(ctx.env(), ProcessHandle.current().pid()),
        Executors.newSingleThreadScheduledExecutor(named("service")));
  }

  private static HttpClient.Builder http(AgentConfig config, ExecutorService threads) {
    return HttpClient.newBuilder()
        .connectTimeout(config.delivery().timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(threads);
  }

  private static Optional<MqttLink> startLink(AgentContext ctx, AgentConfig config, Optional<CredentialSet> identity,
      AtomicReference<CredentialSet> shown, Outbox outbox, Vault vault) {
    if (config.link().broker().isEmpty()) {
      return Optional.empty();
    }
    if (identity.isEmpty()) {
      Logger.warn("mqtt.broker is set but the device is not enrolled: no MQTT link until 'holdfast-agent enroll'");
      return Optional.empty();
    }
    return LinkWiring.start(config.link(), identity.get(), shown::get, outbox,
        new LinkWiring.Commands(config.commandMaxLifetime(), new VaultAcceptedIds(vault)), ctx.random(), ctx.clock(),
        ctx.random());
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    Logger.info("stopping: no new requests; waiting up to {} for attempts in flight", grace);
    watch.close();
    server.close();
    gpio.close();
    dispatcher.shutdown(grace);
    rotation.ifPresent(RotationWiring::close);
    link.ifPresent(MqttLink::close);
    outbox.close();
    vault.close();
    Logger.info("stopped; vault closed");
  }
}
