package dev.holdfast.provisioning.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.ca.CertificateTemplates;
import dev.holdfast.provisioning.testing.TestRandom;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorRoleTest {
  final SecureRandom random = TestRandom.seeded(71);
  final KeyPair keys = P256.generate(random);

  X509Certificate cert(Optional<String> unit) {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    return CertificateTemplates.sign(new CertificateTemplates.Spec("holdfast.operator.old", keys.getPublic(),
        BigInteger.TEN, now, now.plusSeconds(3600), CertificateTemplates.Usage.DEVICE, List.of(), Optional.empty(),
        keys.getPrivate(), unit), random);
  }

  @Test
  void aCertificateIssuedBeforeRolesHasNoOuAndCountsAsViewer() {
    assertThat(OperatorRole.of(cert(Optional.empty()))).isEqualTo(OperatorRole.VIEWER);
  }

  @Test
  void theOuNamesTheRoleAndAnOuThatIsNoRoleCountsAsViewer() {
    assertThat(OperatorRole.of(cert(Optional.of("admin")))).isEqualTo(OperatorRole.ADMIN);
    assertThat(OperatorRole.of(cert(Optional.of("viewer")))).isEqualTo(OperatorRole.VIEWER);
    assertThat(OperatorRole.of(cert(Optional.of("root")))).isEqualTo(OperatorRole.VIEWER);
  }

  @Test
  void parseAcceptsTheTwoRolesOnly() {
    assertThat(OperatorRole.parse("admin")).isEqualTo(OperatorRole.ADMIN);
    assertThatThrownBy(() -> OperatorRole.parse("Admin")).hasMessageContaining("'viewer' or 'admin'");
  }
}
