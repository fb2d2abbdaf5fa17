package dev.holdfast.bench.relay;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.Scopes;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.DefaultCertificateAuthority;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real fleet CA over a real vault-backed registry in a temp directory (the same code the
 * {@code holdfast-provisioning} jar runs), with one device and one API key.
 */
final class BenchPki implements AutoCloseable {
  final Path dir;
  final Clock clock = Clock.systemUTC();
  final SecureRandom random = new SecureRandom();
  final MapDbRegistry registry;
  final FleetCa fleet;
  final CertificateAuthority ca;

  BenchPki() throws Exception {
    dir = Files.createTempDirectory("holdfast-bench-");
    byte[] key = new byte[32];
    random.nextBytes(key);
    registry = new MapDbRegistry(Vault.create(dir.resolve("provisioning.db"),
        MasterKeySource.ofKey(Secret.wrap(key), "bench key"), random));
    FleetCa.initialize(registry, "Bench Fleet", clock, random, "bench").ok().orElseThrow();
    fleet = FleetCa.load(registry, random).ok().orElseThrow();
    ca = new DefaultCertificateAuthority(fleet, CaSettings.defaults(), clock);
    registry.write(tx -> {
      tx.devices().put(Device.enrolled("bench-1", "default", clock.instant()));
      return null;
    });
  }

  String apiKey(ApiKeyService keys) throws Exception {
    return keys.create("bench-1", Set.of(Scopes.MESSAGES_SEND), Duration.ofDays(1), "bench").ok().orElseThrow().key()
        .reveal();
  }

  ServerCredentials serverCredentials() throws Exception {
    return new ServiceCredentials(registry, fleet, CaSettings.defaults(), clock, random)
        .server("relay.tls", List.of("localhost", "127.0.0.1"), "bench");
  }

  /** A client context that trusts the fleet root only, as a device does. */
  SSLContext clientContext() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("fleet-root", fleet.root());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), random);
    return ctx;
  }

  @Override
  public void close() {
    registry.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e.getMessage());
    }
  }
}
