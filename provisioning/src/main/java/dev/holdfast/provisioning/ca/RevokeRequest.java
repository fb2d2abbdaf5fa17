package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.CertificateRecord;

/** What to revoke, and who asks (for the audit log). */
public sealed interface RevokeRequest permits RevokeRequest.BySerial, RevokeRequest.OfDevice, RevokeRequest.OfSubject {
  String actor();

  /** One certificate; {@code serial} as {@link SerialNumbers#parse} reads it. */
  record BySerial(String serial, String actor) implements RevokeRequest {}

  /** Every certificate of a device, and the device itself: it never gets another. */
  record OfDevice(String deviceId, String actor) implements RevokeRequest {}

  /** Every valid certificate of {@code kind} for {@code subject} (an operator's CN). */
  record OfSubject(CertificateRecord.Kind kind, String subject, String actor) implements RevokeRequest {}
}
