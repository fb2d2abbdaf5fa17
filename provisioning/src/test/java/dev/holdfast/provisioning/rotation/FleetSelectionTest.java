package dev.holdfast.provisioning.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.ca.RevokeRequest;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign's selection names it in the audit log and is read back from that name. */
class FleetSelectionTest {
  @TempDir Path dir;
  TestPki pki;
  IssuedCertificate pilot;
  IssuedCertificate plain;
  IssuedCertificate revoked;

  @BeforeEach
  void threeDevicesWithThirtyDayCertificates() throws Exception {
    pki = TestPki.create(dir.resolve("fleet"), 81);
    pilot = pki.validDeviceCert();
    plain = pki.validDeviceCert();
    revoked = pki.validDeviceCert();
    pki.registry.write(tx -> {
      Device d = tx.devices().find(pilot.deviceId()).orElseThrow();
      tx.devices().put(d.withLabels(Set.of("pilot")));
      return null;
    });
    pki.revoke(new RevokeRequest.OfDevice(revoked.deviceId(), "test")).ok().orElseThrow();
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  List<String> chosen(FleetSelection s) throws Exception {
    return pki.registry.read(tx -> s.devices(tx, pki.clock.instant()));
  }

  @Test
  void eachSelectionIsReadBackFromItsName() {
    for (FleetSelection s : List.of(new FleetSelection.All(), new FleetSelection.Labelled("site=berlin"),
        new FleetSelection.ExpiringWithin(Duration.ofDays(30)),
        new FleetSelection.ExpiringWithin(Duration.ofHours(36)))) {
      assertThat(FleetSelection.parse(s.name())).contains(s);
    }
    assertThat(new FleetSelection.ExpiringWithin(Duration.ofDays(30)).name()).isEqualTo("expiring-within 30d");
  }

  @Test
  void aNameNoSelectionGivesIsNone() {
    assertThat(FleetSelection.parse("label Not A Label")).isEmpty();
    assertThat(FleetSelection.parse("expiring-within soon")).isEmpty();
    assertThat(FleetSelection.parse("everything")).isEmpty();
    assertThat(FleetSelection.parse("")).isEmpty();
  }

  @Test
  void onlyActiveDevicesAreSelectedByLabelOrByTheirCertificatesEnd() throws Exception {
    assertThat(chosen(new FleetSelection.All())).containsExactlyInAnyOrder(pilot.deviceId(), plain.deviceId());
    assertThat(chosen(new FleetSelection.Labelled("pilot"))).containsExactly(pilot.deviceId());
    assertThat(chosen(new FleetSelection.Labelled("other"))).isEmpty();
    assertThat(chosen(new FleetSelection.ExpiringWithin(Duration.ofDays(31))))
        .containsExactlyInAnyOrder(pilot.deviceId(), plain.deviceId());
    assertThat(chosen(new FleetSelection.ExpiringWithin(Duration.ofDays(29)))).isEmpty();
  }
}
