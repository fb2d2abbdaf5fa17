package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.provisioning.registry.CertificateRecord;
import java.util.HashMap;
import java.util.Map;

/** The registry's in-memory indexes, and what a transaction put that they learn once it committed. */
final class Indexes {
  final DeviceKeyIndex keys = new DeviceKeyIndex();
  final RevokedIndex revoked = new RevokedIndex();

  /** What one write transaction put, for the indexes. */
  static final class Puts {
    /** API key id to its device. */
    final Map<String, String> keys = new HashMap<>();
    /** Certificates by serial, as last put. */
    final Map<String, CertificateRecord> certificates = new HashMap<>();
  }

  /** After the transaction that made {@code puts}: committed, or failed (and may have landed anyway). */
  void after(Puts puts, boolean committed) {
    if (!puts.keys.isEmpty()) {
      keys.after(committed, puts.keys);
    }
    if (!puts.certificates.isEmpty()) {
      revoked.after(committed, puts.certificates.values());
    }
  }
}
