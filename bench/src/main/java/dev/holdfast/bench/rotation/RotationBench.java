package dev.holdfast.bench.rotation;

import dev.holdfast.common.net.NoDelaySockets;
import dev.holdfast.common.retry.Backoff;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.broker.BatchedSync;
import dev.holdfast.provisioning.broker.BrokerCertificates;
import dev.holdfast.provisioning.broker.BrokerReloader;
import dev.holdfast.provisioning.broker.BrokerSync;
import dev.holdfast.provisioning.broker.CrlFiles;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.DefaultCertificateAuthority;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.ca.IssueRequest;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.rotation.AnswerSigner;
import dev.holdfast.provisioning.rotation.RotationService;
import dev.holdfast.provisioning.rotation.RotationSettings;
import dev.holdfast.provisioning.service.ProvisioningResponder;
import dev.holdfast.provisioning.service.ServiceConnection;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.testkit.BrokerFiles;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.ShippedFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The fleet side of the benchmark, every part real: a vault-backed registry and the fleet CA, the
 * broker files {@code broker certs} writes, Mosquitto with the shipped configuration (its pid file
 * SIGHUPed after each CRL rewrite, as in production), the service's connection answering {@code
 * prov/req} with the {@link RotationService}, on one thread as {@code serve} answers them, with the
 * broker brought up to date on another (the CRL, as {@code serve} writes it with the ACL); and one
 * enrolled device with an API key ({@link #enroll} makes more).
 */
final class RotationBench implements AutoCloseable {
  static final String DEVICE = "dev-bench00rotation1";
  final Path dir;
  final Clock clock = Clock.systemUTC();
  final SecureRandom random = new SecureRandom();
  final MapDbRegistry registry;
  final FleetCa fleet;
  final CertificateAuthority ca;
  final Mosquitto broker;
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final ExecutorService answers = Executors.newSingleThreadExecutor();
  final ScheduledExecutorService syncs = Executors.newSingleThreadScheduledExecutor();
  final ServiceConnection service;
  final ApiKeyService keys;
  final KeyPair deviceKeys;
  final IssuedCertificate deviceCert;

  /** CPU nanoseconds the service's answering thread and its broker sync thread have used so far. */
  record ServiceCpu(long answering, long syncing) {}

  /** A device of the fleet: its key pair and certificate; its API key is in the registry. */
  record Enrolled(String id, KeyPair keys, IssuedCertificate cert) {}

  RotationBench(Path dir) throws Exception {
    this.dir = dir;
    Path etc = Files.createDirectories(dir.resolve("etc"));
    byte[] key = new byte[32];
    random.nextBytes(key);
    registry = new MapDbRegistry(Vault.create(dir.resolve("provisioning.db"),
        MasterKeySource.ofKey(Secret.wrap(key), "bench key"), random));
    FleetCa.initialize(registry, "Rotation Bench", clock, random, "bench").ok().orElseThrow();
    fleet = FleetCa.load(registry, random).ok().orElseThrow();
    CaSettings settings = new CaSettings(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(7),
        Optional.of(etc.resolve(BrokerCertificates.CRL)));
    ca = new DefaultCertificateAuthority(fleet, settings, clock);
    ServiceCredentials services = new ServiceCredentials(registry, fleet, settings, clock, random);
    ServerCredentials server = services.server("broker.tls", List.of("localhost", "127.0.0.1"), "bench");
    BrokerCertificates.write(etc, server, registry.write(ca::crl));
    Files.copy(ShippedFiles.acl(), etc.resolve("holdfast.acl"));
    broker = new Mosquitto(new BrokerFiles(etc.resolve(BrokerCertificates.CA_CHAIN),
        etc.resolve(BrokerCertificates.SERVER_CHAIN), etc.resolve(BrokerCertificates.SERVER_KEY),
        etc.resolve(BrokerCertificates.CRL), etc.resolve("holdfast.acl")), dir.resolve("mosquitto")).start();
    Path pidFile = dir.resolve("mosquitto.pid");
    Files.writeString(pidFile, Long.toString(broker.pid()));
    keys = ApiKeyService.open(registry, clock, random);
    Enrolled first = enroll(DEVICE);
    deviceKeys = first.keys();
    deviceCert = first.cert();
    BrokerReloader reloader = new BrokerReloader(pidFile);
    Path crl = settings.crlPath().orElseThrow();
    BrokerSync.Files files = () -> {
      CrlFiles.publish(crl, registry.write(ca::crl), fleet.issuing());
      return true;
    };
    RotationService rotation = new RotationService(registry, ca, keys, AnswerSigner.of(fleet),
        new BatchedSync(new BrokerSync(registry, reloader::hangup, Optional.empty(), clock), files, syncs,
            System::nanoTime, BatchedSync.REST_FACTOR, RotationService.BROKER_CHANGE), RotationSettings.defaults(),
        clock, random, step -> { });
    service = new ServiceConnection(broker.uri(), ServiceCredentials.SERVICE_CN,
        sockets(ServiceTls.context(services.serviceClient("service.mqtt", "bench"), fleet.root(), random)
            .getSocketFactory()),
        ProvisioningResponder.subscriptions(), new ProvisioningResponder(rotation, answers),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), scheduler, new SplittableRandom()).start();
    if (!service.awaitFirstConnection(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the service did not connect to the broker in 30 s");
    }
  }

  /** A device with a new key, a certificate issued for it and an API key, as enrollment leaves it. */
  Enrolled enroll(String id) throws Exception {
    KeyPair pair = P256.generate(random);
    IssuedCertificate cert = registry.write(tx -> ca.issue(tx, new IssueRequest(id, pair.getPublic(), "default",
        Duration.ofDays(30), "bench"))).ok().orElseThrow();
    keys.create(id, Set.of("messages:send"), Duration.ofDays(90), "bench").ok().orElseThrow();
    return new Enrolled(id, pair, cert);
  }

  /** A connection of {@link #DEVICE} presenting {@code cert} with {@code keys}, subscribed to its answers. */
  MqttTestClient connect(KeyPair keys, IssuedCertificate cert) throws Exception {
    return connect(DEVICE, keys, cert, List.of(Topics.provisioningResponses(DEVICE)));
  }

  /** A connection of {@code device} presenting {@code cert} with {@code keys}, subscribed to {@code topics}. */
  MqttTestClient connect(String device, KeyPair keys, IssuedCertificate cert, List<String> topics) throws Exception {
    MqttTestClient c = MqttTestClient.connect(broker.uri(), device, Mqtt.options(deviceSockets(keys, cert)));
    for (String topic : topics) {
      if (c.subscribe(topic, 1) >= 0x80) {
        throw new IllegalStateException("the broker refused " + device + "'s subscription to " + topic);
      }
    }
    return c;
  }

  /** A simulated fleet device's connection, as {@link #connect(String, KeyPair, IssuedCertificate, List)}. */
  FleetClient connectFleetDevice(String device, KeyPair keys, IssuedCertificate cert, List<String> topics)
      throws Exception {
    return FleetClient.connect(java.net.URI.create(broker.uri()), device, deviceSockets(keys, cert), topics);
  }

  /** TLS presenting {@code cert} with {@code keys}, trusting the fleet root only. */
  private javax.net.ssl.SSLSocketFactory deviceSockets(KeyPair keys, IssuedCertificate cert) throws Exception {
    return sockets(ServiceTls.context(new ServerCredentials(keys.getPrivate(), cert.chain()), fleet.root(), random)
        .getSocketFactory());
  }

  /** As the agent and the service make theirs: Nagle's algorithm off. */
  private static javax.net.ssl.SSLSocketFactory sockets(javax.net.ssl.SSLSocketFactory tls) {
    return NoDelaySockets.wrap(tls);
  }

  /** One request of {@link #DEVICE} on {@code prov/req} and its answer on {@code prov/res}. */
  static ProvAnswer ask(MqttTestClient client, byte[] payload) throws Exception {
    return ask(client, DEVICE, payload);
  }

  /** One request of {@code device} on {@code prov/req} and its answer: the next message it receives. */
  static ProvAnswer ask(MqttTestClient client, String device, byte[] payload) throws Exception {
    if (client.publish(Topics.provisioningRequests(device), new MqttMessage(payload, 1, false,
        requestProperties(device))) >= 0x80) {
      throw new IllegalStateException("the broker refused the request");
    }
    return ProvAnswer.parse(client.next(Duration.ofSeconds(30)).payload());
  }

  /** As {@link #ask(MqttTestClient, String, byte[])}, over a simulated fleet device's connection. */
  static ProvAnswer ask(FleetClient client, String device, byte[] payload) throws Exception {
    Duration timeout = Duration.ofSeconds(30);
    if (client.publish(Topics.provisioningRequests(device), payload, requestProperties(device), timeout) >= 0x80) {
      throw new IllegalStateException("the broker refused the request");
    }
    return ProvAnswer.parse(client.next(timeout).payload());
  }

  /** A request's properties: where to answer, and correlation data. */
  private static MqttProperties requestProperties(String device) {
    MqttProperties p = new MqttProperties();
    p.setResponseTopic(Topics.provisioningResponses(device));
    p.setCorrelationData(new byte[] {1});
    return p;
  }

  ServiceCpu serviceCpu() throws Exception {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long answering = answers.submit(threads::getCurrentThreadCpuTime).get();
    long syncing = syncs.submit(threads::getCurrentThreadCpuTime).get();
    return new ServiceCpu(answering, syncing);
  }

  @Override
  public void close() {
    service.close();
    answers.shutdownNow();
    syncs.shutdownNow();
    scheduler.shutdownNow();
    broker.close();
    registry.close();
  }
}
