package dev.holdfast.provisioning.ca;

import dev.holdfast.common.Result;
import dev.holdfast.protocol.crypto.P256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * What a CSR must satisfy before the CA signs it: it parses, its key is EC P-256, it is signed
 * with ECDSA/SHA-2, and that signature verifies with the key inside it (proof of possession).
 * Nothing else of the CSR is used: the subject comes from the service, never from the request.
 */
public final class CsrPolicy {
  /** The signature algorithms accepted, and the digest each signs. */
  private static final Map<ASN1ObjectIdentifier, String> SIGNATURES = Map.of(
      X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA-256", X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA-384",
      X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA-512");

  private CsrPolicy() {}

  /** The CSR's public key if it passes; accepts PEM ({@code CERTIFICATE REQUEST} or {@code NEW CERTIFICATE REQUEST}) or DER. */
  public static Result<PublicKey, CsrRefusal> check(byte[] csr) {
    Result<PKCS10CertificationRequest, CsrRefusal> parsed = parse(csr);
    if (parsed instanceof Result.Refused<PKCS10CertificationRequest, CsrRefusal> refused) {
      return refused.cast();
    }
    PKCS10CertificationRequest req = parsed.ok().orElseThrow();
    SubjectPublicKeyInfo spki = req.getSubjectPublicKeyInfo();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())
        || !X9ObjectIdentifiers.prime256v1.equals(spki.getAlgorithm().getParameters())) {
      return Result.refused(CsrRefusal.KEY_TYPE, "the CSR's key is not EC P-256 (algorithm "
          + spki.getAlgorithm().getAlgorithm() + "); generate the device key on curve P-256 (secp256r1)");
    }
    ASN1ObjectIdentifier sigAlg = req.getSignatureAlgorithm().getAlgorithm();
    if (!SIGNATURES.containsKey(sigAlg)) {
      return Result.refused(CsrRefusal.SIGNATURE_ALGORITHM,
          "the CSR is signed with " + sigAlg + "; sign it with ECDSA and SHA-256");
    }
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      return Result.refused(CsrRefusal.MALFORMED, "the CSR's public key does not decode: " + e.getMessage());
    }
    byte[] signed;
    try {
      signed = req.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      return Result.refused(CsrRefusal.MALFORMED, "the CSR's request info does not encode: " + e.getMessage());
    }
    return P256.verifyDigest(key, digest(SIGNATURES.get(sigAlg), signed), req.getSignature()) ? Result.ok(key)
        : badSignature();
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available in this JVM", e);
    }
  }

  private static Result<PublicKey, CsrRefusal> badSignature() {
    return Result.refused(CsrRefusal.BAD_SIGNATURE,
        "the CSR's signature does not verify with the key it contains (no proof of possession); "
            + "sign the request with the device's own private key");
  }

  private static Result<PKCS10CertificationRequest, CsrRefusal> parse(byte[] csr) {
    byte[] der = csr;
    String text = new String(csr, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN")) {
      List<byte[]> blocks = Pem.decodeAll(text, "CERTIFICATE REQUEST");
      if (blocks.isEmpty()) {
        blocks = Pem.decodeAll(text, "NEW CERTIFICATE REQUEST");
      }
      if (blocks.size() != 1) {
        return Result.refused(CsrRefusal.MALFORMED,
            "expected exactly one PEM 'CERTIFICATE REQUEST' block, found " + blocks.size());
      }
      der = blocks.get(0);
    }
    try {
      return Result.ok(new PKCS10CertificationRequest(der));
    } catch (IOException | RuntimeException e) {
      return Result.refused(CsrRefusal.MALFORMED, "not a PKCS#10 certificate signing request (PEM or DER)");
    }
  }
}
