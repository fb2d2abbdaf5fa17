package dev.holdfast.provisioning.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.broker.CrlPublisher;
import dev.holdfast.provisioning.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRL as the broker's TLS library sees it: {@code openssl crl -verify} must accept it. */
class CrlOpensslIT {
  @TempDir Path dir;

  @Test
  void opensslVerifiesTheExportedCrlAgainstTheCaChainAndListsTheRevokedSerial() throws Exception {
    Path crlPath = dir.resolve("fleet.crl.pem");
    try (TestPki pki = TestPki.create(dir.resolve("fleet"), 11,
        new CaSettings(java.time.Duration.ofDays(30), java.time.Duration.ofDays(90), java.time.Duration.ofDays(7),
            Optional.of(crlPath)))) {
      IssuedCertificate device = pki.validDeviceCert();
      pki.revokeSerial(device.serial());
      new CrlPublisher(pki.settings.crlPath(), pki.issuing(), pki.clock, () -> { }).publish(pki.crl());
      Path chain = dir.resolve("ca-chain.pem");
      Files.writeString(chain, Pem.certificates(pki.fleet.chain()));

      Result verify = run("openssl", "crl", "-in", crlPath.toString(), "-CAfile", chain.toString(), "-verify", "-noout");
      Result text = run("openssl", "crl", "-in", crlPath.toString(), "-noout", "-text");

      assertThat(verify.exit()).as(verify.output()).isZero();
      assertThat(verify.output()).contains("verify OK");
      assertThat(text.output().replace(":", "").toLowerCase()).contains(device.serial());
    }
  }

  @Test
  void opensslRejectsTheCrlAgainstAnotherFleetsCa() throws Exception {
    try (TestPki pki = TestPki.create(dir.resolve("a"), 12); TestPki other = TestPki.create(dir.resolve("b"), 13)) {
      Path crl = dir.resolve("a.crl.pem");
      Files.writeString(crl, Crls.pem(pki.crl()));
      Path otherChain = dir.resolve("b-chain.pem");
      Files.writeString(otherChain, Pem.certificates(other.fleet.chain()));

      Result verify = run("openssl", "crl", "-in", crl.toString(), "-CAfile", otherChain.toString(), "-verify", "-noout");

      assertThat(verify.output()).doesNotContain("verify OK");
    }
  }

  record Result(int exit, String output) {}

  static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
