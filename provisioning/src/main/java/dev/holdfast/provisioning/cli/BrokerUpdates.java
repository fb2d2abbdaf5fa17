package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.broker.BrokerReloadException;
import dev.holdfast.provisioning.broker.BrokerSync;
import java.io.PrintWriter;

/**
 * How every command that changes what the broker reads ends: {@link BrokerSync#sync}, and a broker
 * that did not take the change exits 69 with what is done, what is not, and what to do; the
 * registry keeps it as pending for {@code devices show}, {@code broker reload} and {@code serve}.
 */
final class BrokerUpdates {
  /** How often {@code serve} retries a pending reload. */
  static final java.time.Duration RETRY = java.time.Duration.ofSeconds(30);

  private BrokerUpdates() {}

  static BrokerSync.Outcome apply(ProvisioningRuntime rt, PrintWriter out, String what, String done,
      BrokerSync.Files files) throws Exception {
    BrokerSync.Outcome outcome;
    try {
      outcome = rt.brokerSync().sync(what, files);
    } catch (BrokerReloadException e) {
      throw new CliException(ExitCode.UNAVAILABLE, done + "; but " + e.getMessage() + ". Recorded in the registry as "
          + "not yet taken by the broker ('devices show', 'broker reload'); 'serve' retries it every "
          + RETRY.toSeconds() + " s, or run 'holdfast-provisioning broker reload' once fixed");
    }
    if (outcome.signalled()) {
      out.println("broker signalled (SIGHUP): it re-read its CRL and ACL");
    }
    for (String device : outcome.cut()) {
      out.println("open MQTT session of " + device + " closed (if it had one); new connections are refused");
    }
    for (String device : outcome.notCut()) {
      out.println("broker.mqtt-uri is empty: the open MQTT session of " + device + " (if any) was not closed; the ACL "
          + "denies it every topic; set broker.mqtt-uri and run 'broker reload' to close it");
    }
    return outcome;
  }
}
