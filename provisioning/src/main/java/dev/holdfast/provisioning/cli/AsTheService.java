package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.rotation.RemoteRotation;
import dev.holdfast.provisioning.service.ProvisioningResponder;
import dev.holdfast.provisioning.service.ServiceConnection;
import dev.holdfast.provisioning.service.ServiceTls;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * How {@code rotate} and {@code fleet rotate} reach devices: as the service, over the broker.
 * Through the admin API of a running {@code serve}, over the service's own connection (a second one
 * under its client id would knock the first off); on the host with the service stopped, over a
 * connection of their own that also answers the devices' renew and confirm, as {@code serve} would.
 */
final class AsTheService {
  private AsTheService() {}

  /** What is done over the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(ServiceConnection connection, RemoteRotation rotation) throws Exception;
  }

  /**
   * Runs {@code work} over the service's connection; {@code checks} run once the broker is known
   * (so that a missing broker is reported before anything else) and before connecting.
   *
   * @param mqtt {@code --mqtt}, or null: refused through the service, else broker.mqtt-uri
   */
  static <T> T run(ProvisioningRuntime rt, String mqtt, Duration wait, Checks checks, Work<T> work)
      throws Exception {
    if (rt.service().isPresent()) {
      if (mqtt != null) {
        throw ExitCodes.usage("--mqtt is not taken through the service: it sends commands over its own broker "
            + "connection; drop it");
      }
      ProvisioningRuntime.LiveBroker live = rt.service().get().orElseThrow(() -> new CliException(
          ExitCode.UNAVAILABLE, "the service runs without a broker connection, so it cannot reach devices; "
          + "start 'serve' with --mqtt (or broker.mqtt-uri in " + ProvisioningConfig.FILE + ")"));
      checks.run();
      return work.run(live.connection(), rotation(rt, live.scheduler()));
    }
    String uri = Options.broker(mqtt, rt);
    checks.run();
    ScheduledExecutorService scheduler = ProvisioningRuntime.scheduler("rotate-mqtt");
    ScheduledExecutorService syncs = ProvisioningRuntime.scheduler("rotate-broker-sync");
    ExecutorService answers = Executors.newSingleThreadExecutor();
    var tls = ServiceTls.context(rt.services().serviceClient(Serving.SERVICE_MQTT, rt.actor), rt.fleet().root(),
        rt.random);
    try (ServiceConnection connection = new ServiceConnection(uri, ServiceCredentials.SERVICE_CN,
        tls.getSocketFactory(), ProvisioningResponder.subscriptions(),
        new ProvisioningResponder(rt.rotation(syncs, step -> { }), answers), Serving.RECONNECT, scheduler,
        rt.random)) {
      connection.start();
      if (!connection.awaitFirstConnection(wait)) {
        throw new CliException(ExitCode.UNAVAILABLE, "cannot connect to the broker " + uri + " within " + wait
            + " (see the log)");
      }
      try {
        return work.run(connection, rotation(rt, scheduler));
      } finally {
        finishBrokerRounds(syncs);
      }
    } finally {
      answers.shutdownNow();
      syncs.shutdownNow();
      scheduler.shutdownNow();
    }
  }

  /**
   * Lets the broker round the last confirms wait for run (the CRL written, the broker signalled,
   * their answers sent) before the connection closes: a rotation counts as confirmed once its
   * confirm is committed, which is before that round. Whatever is still pending after the wait is
   * taken by the next {@code serve} or {@code broker reload}.
   */
  private static void finishBrokerRounds(ScheduledExecutorService syncs) throws InterruptedException {
    syncs.shutdown(); // a round already scheduled still runs; one asked for from now on runs on its caller
    if (!syncs.awaitTermination(30, TimeUnit.SECONDS)) {
      Logger.warn("the broker has not taken the last revocations within 30 s; 'serve' or 'holdfast-provisioning "
          + "broker reload' will");
    }
  }

  /** What is checked before connecting. */
  @FunctionalInterface
  interface Checks {
    void run() throws Exception;
  }

  private static RemoteRotation rotation(ProvisioningRuntime rt, ScheduledExecutorService scheduler)
      throws Exception {
    return new RemoteRotation(rt.registry, rt.commandSigner(), rt.clock, rt.random, scheduler);
  }
}
