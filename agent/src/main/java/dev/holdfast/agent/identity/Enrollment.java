package dev.holdfast.agent.identity;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.vault.VaultException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * The device's half of enrollment, in two steps that may run in two processes: {@link #request}
 * puts a key in the vault (or reuses the one there) and builds the request; {@link #complete}
 * verifies the response against that key and the pinned root and stores the whole credential set
 * in one transaction. A failed step leaves no partial set; the pending key stays for the next try.
 */
public final class Enrollment {
  private final IdentityStore store;
  private final SecureRandom random;
  private final Clock clock;

  public Enrollment(IdentityStore store, SecureRandom random, Clock clock) {
    this.store = store;
    this.random = random;
    this.clock = clock;
  }

  /** Refuses to go on when the device is enrolled, unless {@code force}. */
  public void checkNotEnrolled(boolean force) throws EnrollmentException, VaultException {
    Optional<CredentialSet> current = store.current();
    if (current.isPresent() && !force) {
      throw new EnrollmentException(EnrollmentException.Reason.ALREADY_ENROLLED, "this device is already enrolled as "
          + current.get().deviceId() + " (certificate until " + current.get().certificateNotAfter()
          + "); add --force to replace its identity with a new one");
    }
  }

  /** The request for {@code token}: the pending key (created and stored first if there is none) and its CSR. */
  public EnrollRequest request(Secret token) throws VaultException {
    PendingKey key = store.pendingKeyOrCreate(random, clock);
    Logger.debug("enrollment: pending key from {}", key.createdAt());
    return new EnrollRequest(token, Csr.of(key, random));
  }

  /**
   * The response an air-gapped bench brought back as a file: the server's answer body, parsed
   * but not yet verified; a file holding an enrollment error fails with that error's reason.
   */
  public static EnrollResponse responseFromFile(String body) throws EnrollmentException {
    return ServerAnswers.fromFile(body);
  }

  /** Verifies {@code response} and stores the credential set it describes as the current one. */
  public CredentialSet complete(EnrollResponse response, X509Certificate pinnedRoot)
      throws EnrollmentException, VaultException {
    PendingKey key = store.pendingKey().orElseThrow(() -> new EnrollmentException(
        EnrollmentException.Reason.MISSING_INPUT, "this vault holds no pending key, so the response cannot be for "
            + "this device; create a request first with 'holdfast-agent enroll --token T --request-out FILE'"));
    CredentialSet set = ResponseVerifier.verify(response, pinnedRoot, key, clock);
    store.storeCurrent(set);
    Logger.info("enrolled as {}: certificate until {}, api key {} until {}", set.deviceId(),
        set.certificateNotAfter(), set.apiKeyId(), set.apiKeyExpiresAt());
    return set;
  }
}
