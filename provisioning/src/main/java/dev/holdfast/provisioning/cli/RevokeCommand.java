package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.ca.DeviceRevocation;
import dev.holdfast.provisioning.ca.Revocations;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.CertificateRecord;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = {"Cut a device off everywhere, in one registry transaction: every certificate and every API key",
        "of the device is revoked and the device is marked revoked (the relay answers 401 to its keys from now on).",
        "Then the CRL (ca.crl-path) and the ACL (broker.acl-path, with a deny block for the device) are rewritten,",
        "the broker gets one SIGHUP, and the device's open MQTT session is closed through broker.mqtt-uri; its",
        "reconnect is refused. There is no undo: a revoked device enrolls again with a new token, under a new id.",
        "Exit 69 when the broker did not take the change (no pid file, no permission): the registry records it,",
        "'devices show' says so, 'broker reload' and 'serve' retry it."})
final class RevokeCommand extends RuntimeCommand {
  @Option(names = "--device", required = true, paramLabel = "ID", description = "The device to revoke (dev-...).")
  String device;

  @Override
  int run(ProvisioningRuntime rt) throws Exception {
    return device(rt, out(), device);
  }

  /** {@code revoke --device} and {@code certs revoke --device}. */
  static int device(ProvisioningRuntime rt, PrintWriter out, String device) throws Exception {
    OperatorsCommand.aclPath(rt);
    Revocations revocations = new Revocations(rt.ca(), rt.clock);
    DeviceRevocation done = ExitCodes.check(rt.registry.write(tx -> revocations.device(tx, device, rt.actor)),
        ExitCodes::of);
    for (CertificateRecord c : done.certificates().certificates()) {
      out.println("revoked certificate " + c.serial() + " (" + c.subject() + ")");
    }
    for (ApiKeyRecord k : done.apiKeys()) {
      out.println("revoked API key " + k.id());
    }
    out.println("device " + device + " is revoked");
    BrokerUpdates.apply(rt, out, "device " + device + " revoked", "device " + device
        + " is revoked in the registry (the relay refuses its keys)", rt.brokerFiles());
    return 0;
  }
}
