package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.DeviceCertificates;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.provisioning.ca.CertificateTemplates;
import dev.holdfast.provisioning.ca.SerialNumbers;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Single-threaded rates of the parts an enrollment is made of, measured in the same run after a warm-up: the
 * CA's bare certificate signing (as in {@code bench/run issue}), the CA's issue from a CSR with
 * its registry commit, the server's whole enrollment without HTTP, and EC P-256 key generation.
 */
final class References {
  /** Per-second rates, in the order of {@link #NAMES}. */
  static final String[] NAMES = {
      "bare certificate sign, device template (CA signing baseline)",
      "CA issue from a CSR (check, sign, registry commit)",
      "server enrollment without HTTP (Enrollment.enroll)",
      "EC P-256 key generation (JDK)"};

  private References() {}

  /** One discarded warm-up pass of a fifth of {@code count}, then the measured pass. */
  static double[] measure(Fleet fleet, int count) throws Exception {
    once(fleet, Math.max(1, count / 5));
    return once(fleet, count);
  }

  private static double[] once(Fleet fleet, int count) throws Exception {
    List<KeyPair> keys = new ArrayList<>();
    List<byte[]> csrs = new ArrayList<>();
    for (int i = 0; i < 2 * count; i++) {
      KeyPair k = P256.generate(fleet.random);
      keys.add(k);
      csrs.add(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), k.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())).getEncoded());
    }
    List<Secret> tokens = fleet.tokens(count);
    KeyPair issuingKeys = P256.generate(fleet.random);
    Instant now = fleet.clock.instant();
    X509Certificate issuing = CertificateTemplates.sign(new CertificateTemplates.Spec("Bench Issuing CA",
        issuingKeys.getPublic(), SerialNumbers.random(fleet.random), now, now.plus(Duration.ofDays(365)),
        CertificateTemplates.Usage.ISSUING_CA, List.of(), Optional.empty(), issuingKeys.getPrivate()), fleet.random);

    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      CertificateTemplates.sign(new CertificateTemplates.Spec("bench-" + i, keys.get(i).getPublic(),
          SerialNumbers.random(fleet.random), now, now.plus(Duration.ofDays(30)), CertificateTemplates.Usage.DEVICE,
          List.of(), Optional.of(issuing), issuingKeys.getPrivate()), fleet.random);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      DeviceCertificates.issue(fleet.registry, fleet.ca, csrs.get(i), Optional.empty(), fleet.random);
    }
    long t2 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      fleet.enrollment.enroll(new EnrollRequest(tokens.get(i), csrs.get(count + i)), "bench").ok().orElseThrow();
    }
    long t3 = System.nanoTime();
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"), fleet.random);
    for (int i = 0; i < count; i++) {
      gen.generateKeyPair();
    }
    long t4 = System.nanoTime();
    return new double[] {rate(count, t1 - t0), rate(count, t2 - t1), rate(count, t3 - t2), rate(count, t4 - t3)};
  }

  private static double rate(int count, long nanos) {
    return count / (nanos / 1e9);
  }
}
