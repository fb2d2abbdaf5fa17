package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.config.ConfigException;
import dev.holdfast.common.retry.Backoff;
import dev.holdfast.common.testing.HaltAfter;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.provisioning.api.EnrollHandler;
import dev.holdfast.provisioning.api.RecoverHandler;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.KeyUsage;
import dev.holdfast.provisioning.broker.BrokerSync;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.relay.IdempotencyStore;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.provisioning.relay.RelayServer;
import dev.holdfast.provisioning.relay.RelaySettings;
import dev.holdfast.provisioning.relay.TwilioSender;
import dev.holdfast.provisioning.relay.WebhookSender;
import dev.holdfast.provisioning.rotation.RemoteRotation;
import dev.holdfast.provisioning.rotation.ReturningDevices;
import dev.holdfast.provisioning.rotation.RotationService;
import dev.holdfast.provisioning.rotation.ServiceStep;
import dev.holdfast.provisioning.service.CrlRefresher;
import dev.holdfast.provisioning.service.ProvisioningResponder;
import dev.holdfast.provisioning.service.ServiceConnection;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.provisioning.support.Base62;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.tinylog.Logger;

/**
 * Wiring of the long-running processes ({@code serve}, {@code relay}): the API server with its
 * routes, the MQTT responder, and the maintenance timers, all from one {@link ProvisioningRuntime}.
 */
final class Serving {
  static final String SERVICE_MQTT = "service.mqtt";
  /** Test harness only: the {@link ServiceStep} after which the process halts as kill -9 would stop it. */
  static final String HALT_AFTER = "holdfast.test.halt-after-step";
  /** How the service reconnects to the broker: the shared formula, 1 s doubling up to 2 min. */
  static final Backoff RECONNECT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2));
  /** How long a stop waits for a maintenance task under way before interrupting it. */
  static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private Serving() {}

  /**
   * What runs, and how to stop it.
   *
   * @param keyUse the relay's API key use, written once more after the server has stopped
   * @param idempotency the relay's idempotency commits, drained after the server has stopped
   * @param rotations the thread that answers rotation requests
   * @param brokerSyncs the thread that brings the broker up to date before rotations are answered
   */
  record Running(ApiServer server, ScheduledExecutorService maintenance,
      Optional<ServiceConnection> mqtt, Optional<KeyUsage> keyUse, Optional<IdempotencyStore> idempotency,
      ExecutorService rotations, ExecutorService brokerSyncs) {
    void stop() {
      mqtt.ifPresent(ServiceConnection::close);
      rotations.shutdownNow();
      brokerSyncs.shutdownNow();
      server.close();
      idempotency.ifPresent(IdempotencyStore::close);
      // A task under way (a flush among them) finishes rather than being interrupted mid-write.
      maintenance.shutdown();
      try {
        maintenance.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      maintenance.shutdownNow();
      keyUse.ifPresent(KeyUsage::flushLogged);
    }
  }

  /**
   * Starts the API (enroll, and the relay when its upstream is configured or {@code relayRequired}),
   * the CRL refresher, the retry of a broker reload left pending and, with {@code mqttUri}, the MQTT
   * responder.
   */
  static Running start(ProvisioningRuntime rt, InetSocketAddress listen, boolean insecureHttp, boolean relayRequired,
      Optional<String> mqttUri) throws RegistryException, CliException, ConfigException, IOException, MqttException {
    CertificateAuthority ca = rt.ca();
    ServiceCredentials services = rt.services();
    RelaySettings settings = rt.config.relay();
    Optional<ServerCredentials> tls = insecureHttp ? Optional.empty()
        : Optional.of(services.server(ProvisioningRuntime.RELAY_TLS, settings.serverNames(), "service"));
    ScheduledExecutorService maintenance = ProvisioningRuntime.scheduler("provisioning-maintenance");
    List<ApiServer.Route> routes = new ArrayList<>();
    ApiLimits limits = rt.config.api();
    routes.add(EnrollHandler.route(rt.enrollment(),
        new RateLimiter(rt.clock, limits.enrollBurst(), limits.enrollPerMinute())));
    // one thread: answered in order, each rotation sees the one before it committed
    ExecutorService rotations = thread("rotation");
    // one more, so that the next renew is answered while the broker takes the last confirms
    ScheduledExecutorService brokerSyncs = ProvisioningRuntime.scheduler("broker-sync");
    RotationService rotation = rt.rotation(brokerSyncs, haltAfter(Optional.ofNullable(System.getProperty(HALT_AFTER))));
    routes.add(RecoverHandler.route(rotation::recover,
        new RateLimiter(rt.clock, limits.enrollBurst(), limits.enrollPerMinute())));
    Optional<String> relayMissing = relayMissing(rt, settings);
    if (relayMissing.isPresent() && relayRequired) {
      throw new ConfigException(relayMissing.get());
    }
    Optional<KeyUsage> keyUse = Optional.empty();
    Optional<IdempotencyStore> idempotency = Optional.empty();
    if (relayMissing.isPresent()) {
      Logger.warn("the relay (/v1/messages) is off: {}", relayMissing.get());
    } else {
      ApiKeyService keys = rt.apiKeys();
      keys.usage().schedule(maintenance, KeyUsage.FLUSH_INTERVAL);
      keyUse = Optional.of(keys.usage());
      idempotency = Optional.of(idempotencyStore(rt, settings, maintenance));
      routes.add(relayRoute(rt, settings, keys, idempotency.get()));
    }
    ApiServer server = ApiServer.start(listen, tls, routes, limits, settings.threads(), rt.random);
    BrokerSync sync = rt.brokerSync(mqttUri);
    sync.schedule(maintenance, BrokerUpdates.RETRY, rt.brokerFiles());
    new CrlRefresher(ca, rt.registry, rt.crlPublisher(), rt.config.ca().crlValidity(), sync).schedule(maintenance);
    Optional<ServiceConnection> mqtt = Optional.empty();
    if (mqttUri.isPresent()) {
      ServerCredentials client = services.serviceClient(SERVICE_MQTT, "service");
      ProvisioningResponder responder = new ProvisioningResponder(rotation, rotations);
      // on the rotation thread too: a returning device's command comes before its renew
      ReturningDevices returning = new ReturningDevices(rt.registry,
          new RemoteRotation(rt.registry, rt.commandSigner(), rt.clock, rt.random, maintenance), rt.clock, rotations);
      mqtt = Optional.of(new ServiceConnection(mqttUri.get(), ServiceCredentials.SERVICE_CN,
          ServiceTls.context(client, rt.fleet().root(), rt.random).getSocketFactory(),
          ReturningDevices.subscriptions(ProvisioningResponder.subscriptions()), returning.besides(responder),
          RECONNECT, maintenance, rt.random).start());
      rt.serviceBroker(new ProvisioningRuntime.LiveBroker(mqttUri.get(), mqtt.get(), maintenance));
    }
    return new Running(server, maintenance, mqtt, keyUse, idempotency, rotations, brokerSyncs);
  }

  private static ExecutorService thread(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Halts the process (no shutdown hooks, as kill -9 would stop it) right after {@code step} is passed. */
  private static Consumer<ServiceStep> haltAfter(Optional<String> step) {
    step.ifPresent(s -> Logger.warn("{} is set: this service halts after rotation step {}", HALT_AFTER, s));
    return HaltAfter.step(step);
  }

  /**
   * The admin API on {@code listen}: HTTPS with the API's certificate (relay.server-names), needing
   * a client certificate that chains to the fleet root; {@link AdminApi} checks it against the
   * registry on every request.
   */
  static ApiServer admin(ProvisioningRuntime rt, InetSocketAddress listen)
      throws RegistryException, CliException, IOException {
    ServerCredentials tls = rt.services().server(ProvisioningRuntime.RELAY_TLS, rt.config.relay().serverNames(),
        "service");
    AdminApi api = new AdminApi(rt.operators(), new AdminCommands(rt));
    // two threads more than the commands allowed at once, so a request past the bound is answered 503 at once
    return ApiServer.startMutual(listen, ServiceTls.context(tls, rt.fleet().root(), rt.random),
        List.of(new ApiServer.Route(AdminApi.PATH, api)), rt.config.api(), AdminApi.CONCURRENT + 2);
  }

  private static Optional<String> relayMissing(ProvisioningRuntime rt, RelaySettings settings)
      throws RegistryException {
    boolean twilio = settings.upstream() == RelaySettings.Upstream.TWILIO;
    if (twilio && (settings.accountSid().isEmpty() || settings.from().isEmpty())) {
      return Optional.of("relay.upstream.account-sid and relay.upstream.from must be set in "
          + rt.dir.resolve(ProvisioningConfig.FILE));
    }
    if (twilio && rt.upstreamToken().isEmpty()) {
      return Optional.of(
          "no SMS API auth token; store it with 'holdfast-provisioning relay set-auth-token --dir " + rt.dir + "'");
    }
    return Optional.empty();
  }

  private static IdempotencyStore idempotencyStore(ProvisioningRuntime rt, RelaySettings settings,
      ScheduledExecutorService maintenance) throws RegistryException {
    String owner = "relay-" + Base62.random(rt.random, 12);
    IdempotencyStore idempotency = IdempotencyStore.open(rt.registry, rt.dir.resolve(IdempotencyStore.DIR), rt.clock,
        settings.idempotencyWindow(), owner, rt.random);
    idempotency.purgeExpired();
    maintenance.scheduleWithFixedDelay(() -> {
      try {
        idempotency.purgeExpired();
      } catch (RuntimeException e) {
        Logger.error("purging expired idempotency records failed: {}", e.getMessage());
      }
    }, 1, 1, TimeUnit.HOURS);
    idempotency.start(r -> {
      Thread t = new Thread(r, "relay-idempotency");
      t.setDaemon(true);
      return t;
    });
    return idempotency;
  }

  private static ApiServer.Route relayRoute(ProvisioningRuntime rt, RelaySettings settings, ApiKeyService keys,
      IdempotencyStore idempotency) throws RegistryException {
    Optional<Secret> token = rt.upstreamToken();
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.upstreamTimeout()).build();
    boolean twilio = settings.upstream() == RelaySettings.Upstream.TWILIO;
    return RelayServer.route(settings, keys, idempotency,
        new RateLimiter(rt.clock, settings.rateBurst(), settings.ratePerMinute()),
        twilio ? new TwilioSender(http, settings, token.orElseThrow(), rt.clock)
            : new WebhookSender(http, settings, token, rt.clock),
        rt.random);
  }
}
