package dev.holdfast.agent.testing;

import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A small fleet CA for tests, built with Bouncy Castle: root, issuing CA, a TLS server
 * certificate, and the server side of enrollment ({@link #respond}). Named variants make the
 * wrong cases: {@link #another()} is an unrelated fleet.
 */
public final class TestFleet {
  public static final List<String> SCOPES = List.of("messages:send");
  private static final AtomicInteger SEQ = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();
  public final KeyPair rootKey = keyPair();
  public final X509Certificate root;
  public final KeyPair issuingKey = keyPair();
  public final X509Certificate issuing;
  public final KeyPair commandKey = keyPair();
  private final String name;

  private TestFleet(String name) {
    this.name = name;
    Instant now = Instant.now();
    root = sign("CN=" + name + " root", rootKey.getPublic(), null, rootKey.getPrivate(), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(3650)), Kind.ROOT, List.of());
    issuing = sign("CN=" + name + " issuing", issuingKey.getPublic(), root, rootKey.getPrivate(),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1000)), Kind.ISSUING, List.of());
  }

  public static TestFleet create() {
    return new TestFleet("Test Fleet " + SEQ.incrementAndGet());
  }

  /** An unrelated fleet: its root is not the pinned one. */
  public TestFleet another() {
    return new TestFleet("Other Fleet " + SEQ.incrementAndGet());
  }

  enum Kind { ROOT, ISSUING, DEVICE, SERVER }

  public static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the root as PEM. */
  public Path writeRoot(Path file) throws Exception {
    Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(root.getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    return file;
  }

  /** A device certificate for {@code key} named {@code deviceId}, issued by this fleet's issuing CA. */
  public X509Certificate deviceCertificate(String deviceId, PublicKey key, Instant notAfter) {
    return sign("CN=" + deviceId, key, issuing, issuingKey.getPrivate(), Instant.now().minus(Duration.ofMinutes(5)),
        notAfter, Kind.DEVICE, List.of());
  }

  /** A TLS server context whose certificate names {@code names} (DNS names or IP addresses). */
  public SSLContext serverContext(String... names) throws Exception {
    return context(null, names);
  }

  /** Like {@link #serverContext} with client certificates checked by {@code trust}. */
  public SSLContext serverContextTrusting(String name, javax.net.ssl.TrustManagerFactory trust) throws Exception {
    return context(trust, name);
  }

  private SSLContext context(javax.net.ssl.TrustManagerFactory trust, String... names) throws Exception {
    KeyPair k = keyPair();
    X509Certificate cert = sign("CN=" + name + " server", k.getPublic(), issuing, issuingKey.getPrivate(),
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)), Kind.SERVER, List.of(names));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", k.getPrivate(), "pw".toCharArray(), new Certificate[] {cert, issuing, root});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), random);
    return ctx;
  }

  /** What the provisioning service would answer: a certificate for the CSR's key, the API key sealed to it. */
  public EnrollResponse respond(EnrollRequest request, String deviceId, String apiKey) throws Exception {
    PublicKey csrKey = new JcaPKCS10CertificationRequest(request.csr()).getPublicKey();
    return respondFor(csrKey, deviceId, apiKey, SCOPES);
  }

  public EnrollResponse respondFor(PublicKey key, String deviceId, String apiKey, List<String> scopes) {
    X509Certificate leaf = deviceCertificate(deviceId, key, Instant.now().plus(Duration.ofDays(30)));
    byte[] sealed = SealedBox.seal(key, apiKey.getBytes(StandardCharsets.UTF_8),
        EnrollResponse.apiKeyAssociatedData(deviceId), random);
    return EnrollResponse.signed(deviceId, List.of(leaf, issuing, root), "key-" + deviceId.substring(4, 12), sealed,
        Instant.now().plus(Duration.ofDays(90)), scopes, commandKey.getPublic(), Instant.now(),
        issuingKey.getPrivate(), random);
  }

  X509Certificate sign(String subject, PublicKey key, X509Certificate issuer, PrivateKey issuerKey, Instant from,
      Instant to, Kind kind, List<String> names) {
    try {
      X500Name subj = new X500Name(subject);
      BigInteger serial = new BigInteger(64, random);
      X509v3CertificateBuilder b = issuer == null
          ? new JcaX509v3CertificateBuilder(subj, serial, Date.from(from), Date.from(to), subj, key)
          : new JcaX509v3CertificateBuilder(issuer, serial, Date.from(from), Date.from(to), subj, key);
      switch (kind) {
        case ROOT -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case ISSUING -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case DEVICE, SERVER -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(kind == Kind.DEVICE
              ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
        }
      }
      if (!names.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream()
            .map(n -> n.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, n)
                : new GeneralName(GeneralName.dNSName, n))
            .toArray(GeneralName[]::new)));
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException("test certificate " + subject, e);
    }
  }
}
