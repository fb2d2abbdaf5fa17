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

  private ResponseVerifier() {}

  /** The credential set the response describes, or the first check it fails. */
  public static CredentialSet verify(EnrollResponse r, X509Certificate pinnedRoot, PendingKey key, Clock clock)
      throws EnrollmentException {
    Instant now = clock.instant();
    if (!DeviceIds.isValid(r.deviceId())) {
      throw invalid("its device id is not of the form " + DeviceIds.RULE);
    }
    List<X509Certificate> chain = r.chain();
    if (chain.size() < 2 || chain.size() > 3) {
      throw invalid("its chain has " + chain.size() + " certificates; expected leaf, issuing CA and root");
    }
    if (chain.size() == 3 && !sameCertificate(chain.get(2), pinnedRoot)) {
      throw invalid("its chain ends at '" + chain.get(2).getSubjectX500Principal().getName()
          + "', not at the pinned fleet root '" + pinnedRoot.getSubjectX500Principal().getName()
          + "' (another fleet's server, or the wrong --fleet-root)");
    }
    validatePath(chain.subList(0, 2), pinnedRoot, now);
    X509Certificate leaf = chain.get(0);
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
      throw invalid("its certificate is for another key than the one this device generated (a response to "
          + "another request?); enroll again");
    }
    if (!Certificates.commonName(leaf).filter(r.deviceId()::equals).isPresent()) {
      throw invalid("its certificate names '" + leaf.getSubjectX500Principal().getName() + "', not the device id "
          + r.deviceId());
    }
    if (!clientAuth(leaf)) {
      throw invalid("its certificate is not for TLS client authentication");
    }
    if (!r.signedByIssuer()) {
      throw invalid("its signature does not verify with the issuing CA's key (changed on the way, or signed by "
          + "someone else)");
    }
    if (!r.apiKeyExpiresAt().isAfter(now)) {
      throw invalid("its API key " + r.apiKeyId() + " expired at " + r.apiKeyExpiresAt());
    }
    Secret apiKey = open(r, key);
    return new CredentialSet(r.deviceId(), key.privateKey(), List.of(leaf, chain.get(1), pinnedRoot), pinnedRoot,
        apiKey, r.apiKeyId(), r.apiKeyExpiresAt(), r.scopes(), r.commandKey(), now);
  }

  private static void validatePath(List<X509Certificate> path, X509Certificate root, Instant at)
      throws EnrollmentException {
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (CertPathValidatorException e) {
      throw invalid("its certificate chain does not validate against the pinned fleet root at " + at + " ("
          + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw invalid("its certificate chain cannot be checked (" + e.getMessage() + ")");
    }
  }

  private static Secret open(EnrollResponse r, PendingKey key) throws EnrollmentException {
    byte[] plain;
    try {
      plain = SealedBox.open(key.privateKey(), key.publicKey(), r.apiKeySealed(),
          EnrollResponse.apiKeyAssociatedData(r.deviceId()));
    } catch (AuthenticationFailedException e) {
      throw invalid("its API key was not sealed to this device's key for " + r.deviceId());
    }
    for (byte b : plain) {
      if (b < 0x21 || b > 0x7e) {
        Arrays.fill(plain, (byte) 0);
        throw invalid("its API key holds characters an API key cannot have");
      }
    }
    if (plain.length == 0) {
      throw invalid("its API key is empty");
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

  private static EnrollmentException invalid(String what) {
    return new EnrollmentException(EnrollmentException.Reason.RESPONSE_INVALID,
        "the enrollment response was refused: " + what + "; nothing was stored");
  }
}
