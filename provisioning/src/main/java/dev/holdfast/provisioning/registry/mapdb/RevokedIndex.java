package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.RevokedCertificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The revoked certificates that have not expired, in memory, so that a CRL (one per round of
 * confirms in a fleet rotation) is built without reading and opening every certificate of the
 * fleet. Kept as {@link CommitKeptIndex} says (a certificate is put again when it is revoked, never
 * un-revoked); entries leave once expired. A few dozen bytes per revoked certificate, nothing secret.
 */
final class RevokedIndex extends CommitKeptIndex<SortedMap<String, RevokedCertificate>> {
  /** The revoked certificates not expired at {@code now}, by serial; empty while there is no index. */
  Optional<SortedMap<String, RevokedCertificate>> unexpired(Instant now) {
    return reading(bySerial -> {
      bySerial.values().removeIf(r -> r.expiredAt(now));
      return new TreeMap<>(bySerial);
    });
  }

  /** Installs the index of {@code certificates}, read by a scan begun when {@link #commits} was {@code at}. */
  void install(Collection<CertificateRecord> certificates, long at) {
    installing(() -> {
      SortedMap<String, RevokedCertificate> bySerial = new TreeMap<>();
      certificates.forEach(c -> add(bySerial, c));
      return bySerial;
    }, at);
  }

  /** After a transaction that put {@code certificates}. */
  void after(boolean committed, Collection<CertificateRecord> certificates) {
    after(committed, bySerial -> certificates.forEach(c -> add(bySerial, c)));
  }

  private static void add(SortedMap<String, RevokedCertificate> index, CertificateRecord c) {
    if (c.state() == CertificateRecord.State.REVOKED) {
      index.put(c.serial(), RevokedCertificate.of(c));
    }
  }
}
