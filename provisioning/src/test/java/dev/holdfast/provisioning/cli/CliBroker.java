package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.testkit.BrokerFiles;
import dev.holdfast.testkit.ConfigLines;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A fleet made by the CLI ({@code init}, {@code broker certs --no-reload} into {@code root/etc}) and a
 * real Mosquitto reading those files; {@link #wire} points the data directory back at it, so every
 * command that changes what it reads signals it, as in production.
 */
final class CliBroker implements AutoCloseable {
  final Path etc;
  final Mosquitto broker;
  final Path pidFile;

  private CliBroker(Path etc, Mosquitto broker, Path pidFile) {
    this.etc = etc;
    this.broker = broker;
    this.pidFile = pidFile;
  }

  /** Initialises the fleet, writes the broker's files and starts the broker as {@code user} (null: as is). */
  static CliBroker start(CliHarness cli, Path root, String fleetName, String user) throws Exception {
    Path etc = root.resolve("etc");
    assertThat(cli.run("init", "--fleet-name", fleetName, "--crl-path", etc.resolve("crl.pem").toString()).exit())
        .isZero();
    CliHarness.Result certs = cli.run("broker", "certs", "--out", etc.toString(), "--name", "localhost,127.0.0.1",
        "--no-reload");
    assertThat(certs.exit()).as(certs.err()).isZero();
    Mosquitto broker = new Mosquitto(new BrokerFiles(etc.resolve("ca-chain.pem"), etc.resolve("server.pem"),
        etc.resolve("server.key"), etc.resolve("crl.pem"), etc.resolve("holdfast.acl")), root.resolve("mosquitto"));
    if (user != null) {
      Path work = Files.createDirectory(root.resolve("mosquitto"));
      Files.setOwner(work, root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
      broker.runAs(user);
    }
    broker.start();
    Path pid = root.resolve("mosquitto.pid");
    Files.writeString(pid, Long.toString(broker.pid()));
    return new CliBroker(etc, broker, pid);
  }

  /** Sets broker.pid-file, broker.acl-path and broker.mqtt-uri in the data directory's config. */
  CliBroker wire(CliHarness cli) throws Exception {
    ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), "broker.pid-file=" + pidFile,
        "broker.acl-path=" + etc.resolve("holdfast.acl"), "broker.mqtt-uri=ssl://localhost:" + broker.port());
    return this;
  }

  /** A device key and the chain {@code certs issue --device id} made for it (leaf, issuing, root). */
  record DeviceCert(String id, KeyPair keys, List<X509Certificate> chain) {
    SSLContext tls(SecureRandom random) {
      return ServiceTls.context(new ServerCredentials(keys.getPrivate(), chain), chain.get(2), random);
    }
  }

  static DeviceCert issue(CliHarness cli, Path root, String id, SecureRandom random) throws Exception {
    KeyPair keys = P256.generate(random);
    Path csr = root.resolve(id + ".csr");
    Files.writeString(csr, Pem.encode("CERTIFICATE REQUEST", Csrs.valid(keys)));
    Path pem = root.resolve(id + ".pem");
    CliHarness.Result issued = cli.run("certs", "issue", "--csr", csr.toString(), "--device", id, "--out",
        pem.toString());
    assertThat(issued.exit()).as(issued.err()).isZero();
    return new DeviceCert(id, keys, Pem.certificates(Files.readString(pem)));
  }

  MqttTestClient connect(DeviceCert device, SecureRandom random) throws Exception {
    return MqttTestClient.connect(broker.uri(), device.id(), Mqtt.options(device.tls(random).getSocketFactory()));
  }

  @Override
  public void close() {
    broker.close();
  }
}
