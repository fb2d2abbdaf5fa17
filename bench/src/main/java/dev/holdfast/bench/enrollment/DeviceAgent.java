package dev.holdfast.bench.enrollment;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.Enrollment;
import dev.holdfast.agent.identity.EnrollmentClient;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/**
 * One simulated device: its own vault file and the agent's own enrollment code, doing what
 * {@code holdfast-agent enroll --server} does: key generation and its vault commit, the CSR, a
 * fresh TLS context and HTTP client (so a fresh connection and a full handshake, as a device's
 * one-shot command has), the POST, verification of the signed answer, opening the sealed API key
 * and the vault commit of the credential set. Enrolling again replaces the identity, as
 * {@code enroll --force} does.
 */
final class DeviceAgent implements AutoCloseable {
  /** Nanoseconds spent in each step of one enrollment. */
  record Steps(long request, long post, long complete) {
    long total() {
      return request + post + complete;
    }
  }

  private final Vault vault;
  private final Enrollment enrollment;
  private final SecureRandom random;

  DeviceAgent(Path vaultFile, SecureRandom random, Clock clock) throws Exception {
    byte[] key = new byte[32];
    random.nextBytes(key);
    this.vault = Vault.create(vaultFile, MasterKeySource.ofKey(Secret.wrap(key), "bench device key"), random);
    this.random = random;
    this.enrollment = new Enrollment(new IdentityStore(vault), random, clock);
  }

  Steps enroll(Secret token, URI server, X509Certificate pinnedRoot) throws Exception {
    long t0 = System.nanoTime();
    EnrollRequest request = enrollment.request(token);
    long t1 = System.nanoTime();
    EnrollmentClient client = new EnrollmentClient(server, TlsContexts.trustingOnly(pinnedRoot, random),
        Duration.ofSeconds(60));
    var response = client.enroll(request);
    long t2 = System.nanoTime();
    CredentialSet set = enrollment.complete(response, pinnedRoot);
    long t3 = System.nanoTime();
    if (!set.leaf().getSubjectX500Principal().getName().equals("CN=" + set.deviceId())) {
      throw new IllegalStateException("enrolled certificate does not name " + set.deviceId());
    }
    return new Steps(t1 - t0, t2 - t1, t3 - t2);
  }

  @Override
  public void close() {
    vault.close();
  }
}
