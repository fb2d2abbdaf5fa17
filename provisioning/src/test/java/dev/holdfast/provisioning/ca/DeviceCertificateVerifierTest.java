package dev.holdfast.provisioning.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.ca.DeviceCertificateVerifier.Verdict;
import dev.holdfast.provisioning.testing.TestPki;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCertificateVerifierTest {
  @TempDir Path dir;

  @Test
  void givesEachKindOfBadCertificateItsOwnVerdict() throws Exception {
    try (TestPki pki = TestPki.create(dir.resolve("ours"), 3);
        TestPki other = TestPki.create(dir.resolve("theirs"), 4)) {
      IssuedCertificate revoked = pki.validDeviceCert();
      pki.revokeSerial(revoked.serial());
      Map<String, X509Certificate> fixtures = new LinkedHashMap<>();
      Map<String, Verdict> expected = new LinkedHashMap<>();
      fixtures.put("valid", pki.validDeviceCert().leaf());
      expected.put("valid", Verdict.VALID);
      fixtures.put("expired", pki.expiredDeviceCert());
      expected.put("expired", Verdict.EXPIRED);
      fixtures.put("not yet valid", pki.notYetValidDeviceCert());
      expected.put("not yet valid", Verdict.NOT_YET_VALID);
      fixtures.put("signed by another CA", other.validDeviceCert().leaf());
      expected.put("signed by another CA", Verdict.UNTRUSTED);
      fixtures.put("wrong key usage", pki.wrongKeyUsageCert());
      expected.put("wrong key usage", Verdict.WRONG_USAGE);
      fixtures.put("revoked", revoked.leaf());
      expected.put("revoked", Verdict.REVOKED);

      DeviceCertificateVerifier verifier = pki.verifier();
      for (Map.Entry<String, X509Certificate> f : fixtures.entrySet()) {
        assertThat(verifier.verify(f.getValue(), pki.clock.instant()).verdict())
            .as(f.getKey())
            .isEqualTo(expected.get(f.getKey()));
      }
    }
  }
}
