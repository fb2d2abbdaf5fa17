package dev.holdfast.agent.identity;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.DeviceIds;
import dev.holdfast.protocol.messages.EnrollResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks an enrollment response before anything of it is stored: the chain is PKIX-valid up to
 * the pinned root at the clock's time, the leaf holds the pending key and names the device, the
 * issuing CA signed the response, and the sealed API key opens with the pending key. Pure: it
 * reads nothing but its arguments.
 */
public final class ResponseVerifier {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ENROLLMENT = "the enrollment response";

  private ResponseVerifier() {}

  /** The credential set the response describes, or the first check it fails. */
  public static CredentialSet verify(EnrollResponse r, X509Certificate pinnedRoot, PendingKey key, Clock clock)
      throws EnrollmentException {
    Instant now = clock.instant();
    if (!DeviceIds.isValid(r.deviceId())) {
      throw invalid(ENROLLMENT, "its device id is not of the form " + DeviceIds.RULE);
    }
    X509Certificate leaf = checkChain(ENROLLMENT, r.deviceId(), r.chain(), pinnedRoot, key, now);
    if (!r.signedByIssuer()) {
      throw invalid(ENROLLMENT, "its signature does not verify with the issuing CA's key (changed on the way, or signed by "
          + "someone else)");
    }
    if (!r.apiKeyExpiresAt().isAfter(now)) {
      throw invalid(ENROLLMENT, "its API key " + r.apiKeyId() + " expired at " + r.apiKeyExpiresAt());
    }
    Secret apiKey = openApiKey(ENROLLMENT, r.deviceId(), r.apiKeySealed(),
        EnrollResponse.apiKeyAssociatedData(r.deviceId()), key);
    return new CredentialSet(r.deviceId(), key.privateKey(), List.of(leaf, r.chain().get(1), pinnedRoot), pinnedRoot,
        apiKey, r.apiKeyId(), r.apiKeyExpiresAt(), r.scopes(), r.commandKey(), now);
  }

  /**
   * The leaf of {@code chain} once it passed: leaf and issuing CA (and the pinned root, if sent),
   * PKIX-valid to the pinned root at {@code now}, the leaf for {@code key}, naming {@code deviceId},
   * for TLS client authentication. A rotation's answer is checked the same way as enrollment's.
   *
   * @param what the message checked, for the error ("the enrollment response")
   */
  public static X509Certificate checkChain(String what, String deviceId, List<X509Certificate> chain,
      X509Certificate pinnedRoot, PendingKey key, Instant now) throws EnrollmentException {
    if (chain.size() < 2 || chain.size() > 3) {
      throw invalid(what, "its chain has " + chain.size() + " certificates; expected leaf, issuing CA and root");
    }
    if (chain.size() == 3 && !sameCertificate(chain.get(2), pinnedRoot)) {
      throw invalid(what, "its chain ends at '" + chain.get(2).getSubjectX500Principal().getName()
          + "', not at the pinned fleet root '" + pinnedRoot.getSubjectX500Principal().getName()
          + "' (another fleet's server, or the wrong --fleet-root)");
    }
    validatePath(what, chain.subList(0, 2), pinnedRoot, now);
    X509Certificate leaf = chain.get(0);
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
      throw invalid(what, "its certificate is for another key than the one this device generated (a response to "
          + "another request?)");
    }
    if (!Certificates.commonName(leaf).filter(deviceId::equals).isPresent()) {
      throw invalid(what, "its certificate names '" + leaf.getSubjectX500Principal().getName()
          + "', not the device id " + deviceId);
    }
    if (!clientAuth(leaf)) {
      throw invalid(what, "its certificate is not for TLS client authentication");
    }
    return leaf;
  }

  private static void validatePath(String what, List<X509Certificate> path, X509Certificate root, Instant at)
      throws EnrollmentException {
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (CertPathValidatorException e) {
      throw invalid(what, "its certificate chain does not validate against the pinned fleet root at " + at + " ("
          + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw invalid(what, "its certificate chain cannot be checked (" + e.getMessage() + ")");
    }
  }

  /** The API key sealed to {@code key} with {@code associatedData}, if it opens and looks like a key. */
  public static Secret openApiKey(String what, String deviceId, byte[] sealed, byte[] associatedData, PendingKey key)
      throws EnrollmentException {
    byte[] plain;
    try {
      plain = SealedBox.open(key.privateKey(), key.publicKey(), sealed, associatedData);
    } catch (AuthenticationFailedException e) {
      throw invalid(what, "its API key was not sealed to this device's key for " + deviceId);
    }
    for (byte b : plain) {
      if (b < 0x21 || b > 0x7e) {
        Arrays.fill(plain, (byte) 0);
        throw invalid(what, "its API key holds characters an API key cannot have");
      }
    }
    if (plain.length == 0) {
      throw invalid(what, "its API key is empty");
    }
    return Secret.wrap(plain);
  }

  private static boolean clientAuth(X509Certificate leaf) {
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      return eku == null || eku.contains(CLIENT_AUTH);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static boolean sameCertificate(X509Certificate a, X509Certificate b) {
    try {
      return Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static EnrollmentException invalid(String message, String what) {
    return new EnrollmentException(EnrollmentException.Reason.RESPONSE_INVALID,
        message + " was refused: " + what + "; nothing was stored");
  }
}
