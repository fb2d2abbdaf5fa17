package dev.holdfast.provisioning.testing;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.broker.BrokerCertificates;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.testkit.BrokerFiles;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.ShippedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * A real Mosquitto with the shipped configuration, reading the files {@code broker certs} writes
 * from this module's own CA (not the test kit's), so what the tests show is what an operator gets.
 */
public final class FleetBroker implements AutoCloseable {
  public final TestPki pki;
  public final Path etc;
  public final Mosquitto broker;

  public FleetBroker(Path dir, long seed) throws Exception {
    etc = dir.resolve("etc-mosquitto-holdfast");
    Files.createDirectories(etc);
    pki = TestPki.create(dir.resolve("fleet"), seed, new CaSettings(Duration.ofDays(30), Duration.ofDays(90),
        Duration.ofDays(7), Optional.of(etc.resolve(BrokerCertificates.CRL))),
        new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    ServerCredentials server = pki.services.server("broker.tls", List.of("localhost", "127.0.0.1"), "test");
    BrokerCertificates.write(etc, server, pki.crl());
    Files.copy(ShippedFiles.acl(), etc.resolve("holdfast.acl"));
    broker = new Mosquitto(new BrokerFiles(etc.resolve(BrokerCertificates.CA_CHAIN),
        etc.resolve(BrokerCertificates.SERVER_CHAIN), etc.resolve(BrokerCertificates.SERVER_KEY),
        etc.resolve(BrokerCertificates.CRL), etc.resolve("holdfast.acl")), dir.resolve("mosquitto")).start();
  }

  /** A device enrolled with this CA: its key and its certificate. */
  public record Device(String id, KeyPair keys, IssuedCertificate cert) {}

  public Device device(String id) throws Exception {
    KeyPair keys = dev.holdfast.protocol.crypto.P256.generate(pki.random);
    IssuedCertificate cert = pki.issue(Csrs.valid(keys), Optional.of(id), Duration.ofDays(30))
        .orElseThrow(TestPki::failed);
    return new Device(id, keys, cert);
  }

  public SSLSocketFactory tls(Device d) {
    return ServiceTls.context(new ServerCredentials(d.keys().getPrivate(), d.cert().chain()), pki.root(),
        pki.random).getSocketFactory();
  }

  public MqttTestClient connect(Device d) throws Exception {
    return MqttTestClient.connect(broker.uri(), d.id(), Mqtt.options(tls(d)));
  }

  public SSLSocketFactory serviceTls() throws Exception {
    return ServiceTls.context(pki.services.serviceClient("service.mqtt", "test"), pki.root(), pki.random)
        .getSocketFactory();
  }

  @Override
  public void close() {
    broker.close();
    pki.close();
  }
}
