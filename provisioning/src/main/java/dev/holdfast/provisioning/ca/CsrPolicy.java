package dev.holdfast.provisioning.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * What a CSR must satisfy before the CA signs it: it parses, its key is EC P-256, it is signed
 * with ECDSA/SHA-2, and that signature verifies with the key inside it (proof of possession).
 * Nothing else of the CSR is used: the subject comes from the service, never from the request.
 */
public final class CsrPolicy {
  private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
      X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
      X9ObjectIdentifiers.ecdsa_with_SHA512);

  private CsrPolicy() {}

  /** Accepts PEM ({@code CERTIFICATE REQUEST} or {@code NEW CERTIFICATE REQUEST}) or DER. */
  public static PublicKey check(byte[] csr) throws CsrRejectedException {
    PKCS10CertificationRequest req = parse(csr);
    SubjectPublicKeyInfo spki = req.getSubjectPublicKeyInfo();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())
        || !X9ObjectIdentifiers.prime256v1.equals(spki.getAlgorithm().getParameters())) {
      throw new CsrRejectedException(CsrRejectedException.Reason.KEY_TYPE,
          "the CSR's key is not EC P-256 (algorithm " + spki.getAlgorithm().getAlgorithm()
              + "); generate the device key on curve P-256 (secp256r1)");
    }
    ASN1ObjectIdentifier sigAlg = req.getSignatureAlgorithm().getAlgorithm();
    if (!SIGNATURES.contains(sigAlg)) {
      throw new CsrRejectedException(CsrRejectedException.Reason.SIGNATURE_ALGORITHM,
          "the CSR is signed with " + sigAlg + "; sign it with ECDSA and SHA-256");
    }
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new CsrRejectedException(CsrRejectedException.Reason.MALFORMED,
          "the CSR's public key does not decode: " + e.getMessage());
    }
    try {
      if (!req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw badSignature();
      }
      return key;
    } catch (PKCSException e) {
      throw badSignature();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("ECDSA verification is not available in this JVM", e);
    }
  }

  private static CsrRejectedException badSignature() {
    return new CsrRejectedException(CsrRejectedException.Reason.BAD_SIGNATURE,
        "the CSR's signature does not verify with the key it contains (no proof of possession); "
            + "sign the request with the device's own private key");
  }

  private static PKCS10CertificationRequest parse(byte[] csr) throws CsrRejectedException {
    byte[] der = csr;
    String text = new String(csr, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN")) {
      List<byte[]> blocks = Pem.decodeAll(text, "CERTIFICATE REQUEST");
      if (blocks.isEmpty()) {
        blocks = Pem.decodeAll(text, "NEW CERTIFICATE REQUEST");
      }
      if (blocks.size() != 1) {
        throw new CsrRejectedException(CsrRejectedException.Reason.MALFORMED,
            "expected exactly one PEM 'CERTIFICATE REQUEST' block, found " + blocks.size());
      }
      der = blocks.get(0);
    }
    try {
      return new PKCS10CertificationRequest(der);
    } catch (IOException | RuntimeException e) {
      throw new CsrRejectedException(CsrRejectedException.Reason.MALFORMED,
          "not a PKCS#10 certificate signing request (PEM or DER)");
    }
  }
}
