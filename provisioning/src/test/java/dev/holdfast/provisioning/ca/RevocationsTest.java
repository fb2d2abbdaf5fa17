package dev.holdfast.provisioning.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.common.Result;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.Scopes;
import dev.holdfast.provisioning.apikeys.Verification;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationsTest {
  @TempDir Path dir;
  TestPki pki;
  ApiKeyService keys;
  Revocations revocations;

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(dir, 91);
    keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(92));
    revocations = new Revocations(pki.ca, pki.clock);
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  String key(String device) throws Exception {
    return keys.create(device, Set.of(Scopes.MESSAGES_SEND), Duration.ofDays(30), "test").ok().orElseThrow().key()
        .reveal();
  }

  Optional<PendingReload> pending() throws Exception {
    return pki.registry.read(tx -> tx.brokerReloads().pending());
  }

  @Test
  void revokingADeviceRevokesEveryCertificateAndEveryApiKeyAndRecordsThatTheBrokerMustCutItsSession()
      throws Exception {
    IssuedCertificate first = pki.validDeviceCert();
    String device = first.deviceId();
    String a = key(device);
    String b = key(device);
    IssuedCertificate other = pki.validDeviceCert();
    String othersKey = key(other.deviceId());

    DeviceRevocation done = pki.registry.write(tx -> revocations.device(tx, device, "operator:test"))
        .ok().orElseThrow();

    assertThat(done.certificates().certificates()).extracting(CertificateRecord::serial).containsExactly(first.serial());
    assertThat(done.apiKeys()).hasSize(2).allMatch(k -> k.state() == ApiKeyRecord.State.REVOKED);
    assertThat(pki.crl().isRevoked(first.leaf())).isTrue();
    assertThat(keys.verify(a).reason()).isEqualTo(Verification.Reason.REVOKED);
    assertThat(keys.verify(b).reason()).isEqualTo(Verification.Reason.REVOKED);
    assertThat(keys.verify(othersKey).valid()).isTrue();
    assertThat(pki.registry.read(tx -> tx.devices().find(device)).orElseThrow().state())
        .isEqualTo(Device.State.REVOKED);
    PendingReload pending = pki.registry.read(tx -> tx.brokerReloads().pending()).orElseThrow();
    assertThat(pending.what()).isEqualTo("device " + device + " revoked");
    assertThat(pending.sessionsToCut()).containsExactly(device);
    assertThat(pending.since()).isEqualTo(pki.clock.instant());
    List<String> denied = pki.registry.read(tx -> Revocations.deniedDevices(tx, pki.clock.instant()));
    assertThat(denied).containsExactly(device);
  }

  @Test
  void aFailureAfterTheRevocationRollsBackTheCertificatesTheKeysAndThePendingRecordTogether() throws Exception {
    IssuedCertificate cert = pki.validDeviceCert();
    String a = key(cert.deviceId());

    assertThatThrownBy(() -> pki.registry.write(tx -> {
      revocations.device(tx, cert.deviceId(), "operator:test");
      throw new RegistryException(RegistryException.Reason.IO, "injected: disk full", null);
    })).hasMessageContaining("disk full");

    assertThat(keys.verify(a).valid()).isTrue();
    assertThat(pki.registry.read(tx -> tx.certificates().find(cert.serial())).orElseThrow().state())
        .isEqualTo(CertificateRecord.State.VALID);
    assertThat(pending()).isEmpty();
  }

  @Test
  void revokingTheCredentialsARotationReplacesLeavesTheDeviceAndItsOtherKeysActive() throws Exception {
    IssuedCertificate old = pki.validDeviceCert();
    String oldKey = key(old.deviceId());
    String newKey = key(old.deviceId());
    String oldKeyId = dev.holdfast.provisioning.apikeys.ApiKey.FORMAT.idOf(oldKey);

    DeviceRevocation done = pki.registry.write(tx -> revocations.credentials(tx, old.deviceId(), old.serial(),
        Optional.of(oldKeyId), "rotation")).ok().orElseThrow();

    assertThat(pki.crl().isRevoked(old.leaf())).isTrue();
    assertThat(keys.verify(oldKey).reason()).isEqualTo(Verification.Reason.REVOKED);
    assertThat(keys.verify(newKey).valid()).isTrue();
    assertThat(pki.registry.read(tx -> tx.devices().find(old.deviceId())).orElseThrow().state())
        .isEqualTo(Device.State.ACTIVE);
    assertThat(pki.registry.read(tx -> tx.brokerReloads().pending()).orElseThrow().sessionsToCut()).isEmpty();
  }

  @Test
  void refusesAnotherDevicesCertificateOrKeyAndChangesNothing() throws Exception {
    IssuedCertificate mine = pki.validDeviceCert();
    IssuedCertificate theirs = pki.validDeviceCert();
    String theirKeyId = dev.holdfast.provisioning.apikeys.ApiKey.FORMAT.idOf(key(theirs.deviceId()));

    List<Result<DeviceRevocation, CaRefusal>> refused = List.of(
        pki.registry.write(tx -> revocations.credentials(tx, mine.deviceId(), theirs.serial(), Optional.empty(), "t")),
        pki.registry.write(tx -> revocations.credentials(tx, mine.deviceId(), mine.serial(), Optional.of(theirKeyId),
            "t")),
        pki.registry.write(tx -> revocations.device(tx, "dev-0000000000000000", "t")));

    assertThat(refused).allMatch(r -> !r.isOk());
    assertThat(pki.registry.read(tx -> tx.certificates().find(mine.serial())).orElseThrow().state())
        .isEqualTo(CertificateRecord.State.VALID);
    assertThat(pending()).isEmpty();
  }
}
