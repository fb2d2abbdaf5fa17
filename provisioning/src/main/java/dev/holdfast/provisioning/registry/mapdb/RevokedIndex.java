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
 * fleet. Built by the first scan that asks for it, then kept by every commit that puts
 * certificates (a certificate is put again when it is revoked, never un-revoked); entries leave
 * once expired. A scan is installed only when no such commit came between its start and its end;
 * a commit that failed (and may have landed) drops the index, and the next scan rebuilds it. A few
 * dozen bytes per revoked certificate, nothing secret.
 */
final class RevokedIndex {
  private SortedMap<String, RevokedCertificate> bySerial; // null until built
  private long commits;

  /** The revoked certificates not expired at {@code now}, by serial; empty while there is no index. */
  synchronized Optional<SortedMap<String, RevokedCertificate>> unexpired(Instant now) {
    if (bySerial == null) {
      return Optional.empty();
    }
    bySerial.values().removeIf(r -> r.expiredAt(now));
    return Optional.of(new TreeMap<>(bySerial));
  }

  /** What {@link #install} compares: how many commits have put certificates so far. */
  synchronized long commits() {
    return commits;
  }

  /** Installs the index of {@code certificates}, read by a scan begun when {@link #commits} was {@code at}. */
  synchronized void install(Collection<CertificateRecord> certificates, long at) {
    if (bySerial != null || commits != at) {
      return;
    }
    SortedMap<String, RevokedCertificate> index = new TreeMap<>();
    certificates.forEach(c -> add(index, c));
    bySerial = index;
  }

  /** After a commit that put {@code certificates}. */
  synchronized void committed(Collection<CertificateRecord> certificates) {
    commits++;
    if (bySerial != null) {
      certificates.forEach(c -> add(bySerial, c));
    }
  }

  /** After a commit that failed, which may still have landed: rebuilt by the next scan. */
  synchronized void forget() {
    commits++;
    bySerial = null;
  }

  static void add(SortedMap<String, RevokedCertificate> index, CertificateRecord c) {
    if (c.state() == CertificateRecord.State.REVOKED) {
      index.put(c.serial(), RevokedCertificate.of(c));
    }
  }
}
