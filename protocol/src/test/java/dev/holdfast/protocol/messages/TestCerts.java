package dev.holdfast.protocol.messages;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys and self-signed certificates for message tests (the real CA lives in provisioning). */
final class TestCerts {
  static final SecureRandom RANDOM = new SecureRandom();

  private TestCerts() {}

  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  static X509Certificate selfSigned(String cn, KeyPair keys) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + cn), BigInteger.valueOf(RANDOM.nextInt(1 << 30)),
        Date.from(now), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=" + cn), keys.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }
}
