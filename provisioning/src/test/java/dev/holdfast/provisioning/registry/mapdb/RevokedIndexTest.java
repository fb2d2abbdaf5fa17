package dev.holdfast.provisioning.registry.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.registry.CertificateRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevokedIndexTest {
  static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  static CertificateRecord cert(String serial, Duration lifetime) {
    return new CertificateRecord(serial, CertificateRecord.Kind.DEVICE, "dev-1", T, T.plus(lifetime),
        CertificateRecord.State.VALID, Optional.empty(), new byte[] {1});
  }

  static List<String> serials(RevokedIndex index, Instant now) {
    return index.unexpired(now).map(m -> List.copyOf(m.keySet())).orElse(null);
  }

  @Test
  void hasNoAnswerUntilAScanIsInstalledThenKeepsEveryCommitAndDropsTheExpired() {
    RevokedIndex index = new RevokedIndex();
    assertThat(index.unexpired(T)).isEmpty();

    index.install(List.of(cert("b", Duration.ofDays(1)).revoked(T), cert("a", Duration.ofDays(9))), index.commits());
    index.after(true, List.of(cert("a", Duration.ofDays(9)).revoked(T), cert("c", Duration.ofDays(9))));

    assertThat(serials(index, T)).containsExactly("a", "b");
    assertThat(serials(index, T.plus(Duration.ofDays(2)))).containsExactly("a");
    assertThat(serials(index, T)).as("an expired entry is gone for good").containsExactly("a");
  }

  @Test
  void aScanOverlappedByACommitIsNotInstalled() {
    RevokedIndex index = new RevokedIndex();
    long at = index.commits();
    index.after(true, List.of(cert("z", Duration.ofDays(9)).revoked(T))); // landed while the scan was reading

    index.install(List.of(), at);

    assertThat(index.unexpired(T)).as("the scan may have missed z").isEmpty();
  }

  @Test
  void aFailedCommitDropsTheIndexAndAScanBegunBeforeItIsNotInstalled() {
    RevokedIndex index = new RevokedIndex();
    index.install(List.of(cert("a", Duration.ofDays(9)).revoked(T)), index.commits());
    long at = index.commits();

    index.after(false, List.of()); // a commit that failed, and may have landed
    index.install(List.of(), at);

    assertThat(index.unexpired(T)).isEmpty();
  }
}
