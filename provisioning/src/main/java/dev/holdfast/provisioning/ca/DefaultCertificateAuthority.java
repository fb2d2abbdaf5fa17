package dev.holdfast.provisioning.ca;

import dev.holdfast.common.Result;
import dev.holdfast.protocol.messages.DeviceIds;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/** The fleet CA with its keys in memory ({@link FleetCa}), over the caller's registry transaction. */
public final class DefaultCertificateAuthority implements CertificateAuthority {
  private final FleetCa ca;
  private final CaSettings settings;
  private final Clock clock;

  public DefaultCertificateAuthority(FleetCa ca, CaSettings settings, Clock clock) {
    this.ca = ca;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Result<IssuedCertificate, CaRefusal> issue(RegistryTx tx, IssueRequest r) throws RegistryException {
    if (!DeviceIds.isValid(r.deviceId())) {
      return Result.refused(CaRefusal.BAD_DEVICE_ID,
          "device id must be " + DeviceIds.RULE + "; got '" + r.deviceId() + "'");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Result<Instant, CaRefusal> notAfter = ca.notAfter(now, r.lifetime());
    if (notAfter instanceof Result.Refused<Instant, CaRefusal> refused) {
      return refused.cast();
    }
    Optional<Device> existing = tx.devices().find(r.deviceId());
    if (existing.isPresent() && existing.get().state() == Device.State.REVOKED) {
      return Result.refused(CaRefusal.DEVICE_REVOKED,
          "device " + r.deviceId() + " is revoked; enroll it again under a new id");
    }
    IssuedCertificate issued = sign(tx, r.deviceId(), r.publicKey(), now, notAfter.ok().orElseThrow());
    Device device = existing.orElse(Device.enrolled(r.deviceId(), r.profile(), now).withLabels(r.labels()));
    tx.devices().put(device.withCurrentSerial(issued.serial()));
    tx.audit().append(AuditEvent.of(now, r.actor(), "cert.issued", r.deviceId(),
        "serial " + issued.serial() + ", until " + issued.leaf().getNotAfter().toInstant()));
    Logger.info("issued certificate {} for device {} until {}", issued.serial(), r.deviceId(),
        issued.leaf().getNotAfter().toInstant());
    return Result.ok(issued);
  }

  @Override
  public Result<IssuedCertificate, CaRefusal> renew(RegistryTx tx, RenewRequest r) throws RegistryException {
    Optional<Device> device = tx.devices().find(r.deviceId());
    if (device.isEmpty()) {
      return Result.refused(CaRefusal.UNKNOWN_DEVICE, "no device " + r.deviceId());
    }
    if (device.get().state() != Device.State.ACTIVE) {
      return Result.refused(CaRefusal.DEVICE_REVOKED, "device " + r.deviceId() + " is revoked; it gets no certificate");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Result<Instant, CaRefusal> notAfter = ca.notAfter(now, r.lifetime());
    if (notAfter instanceof Result.Refused<Instant, CaRefusal> refused) {
      return refused.cast();
    }
    IssuedCertificate issued = sign(tx, r.deviceId(), r.publicKey(), now, notAfter.ok().orElseThrow());
    tx.devices().put(device.get().withPendingSerial(issued.serial()));
    tx.audit().append(AuditEvent.of(now, r.actor(), "cert.renewed", r.deviceId(), "serial " + issued.serial()
        + " pending, until " + issued.leaf().getNotAfter().toInstant()));
    return Result.ok(issued);
  }

  private IssuedCertificate sign(RegistryTx tx, String deviceId, java.security.PublicKey key, Instant now,
      Instant notAfter) throws RegistryException {
    X509Certificate leaf = ca.sign(tx.certificates(), deviceId, key, now, notAfter, CertificateTemplates.Usage.DEVICE,
        List.of());
    tx.certificates().put(CertificateRecords.of(leaf, CertificateRecord.Kind.DEVICE, deviceId));
    return new IssuedCertificate(deviceId, SerialNumbers.hex(leaf.getSerialNumber()),
        List.of(leaf, ca.issuing(), ca.root()));
  }

  @Override
  public Result<Revocation, CaRefusal> revoke(RegistryTx tx, RevokeRequest request) throws RegistryException {
    Instant now = clock.instant();
    List<CertificateRecord> matched;
    if (request instanceof RevokeRequest.BySerial s) {
      String serial = SerialNumbers.hex(SerialNumbers.parse(s.serial()));
      Optional<CertificateRecord> c = tx.certificates().find(serial);
      if (c.isEmpty()) {
        return Result.refused(CaRefusal.UNKNOWN_CERTIFICATE, "no certificate with serial " + serial);
      }
      matched = List.of(c.get());
    } else if (request instanceof RevokeRequest.OfDevice d) {
      Optional<Device> device = tx.devices().find(d.deviceId());
      if (device.isEmpty()) {
        return Result.refused(CaRefusal.UNKNOWN_DEVICE, "no device " + d.deviceId());
      }
      matched = tx.certificates().of(CertificateRecord.Kind.DEVICE, d.deviceId());
      tx.devices().put(device.get().withState(Device.State.REVOKED));
    } else {
      RevokeRequest.OfSubject o = (RevokeRequest.OfSubject) request;
      matched = tx.certificates().of(o.kind(), o.subject()).stream()
          .filter(c -> c.state() == CertificateRecord.State.VALID).toList();
      if (matched.isEmpty()) {
        return Result.refused(CaRefusal.UNKNOWN_CERTIFICATE, "no valid certificate for " + o.subject());
      }
    }
    List<CertificateRecord> revoked = revokeAll(tx, matched, now, request.actor());
    if (request instanceof RevokeRequest.OfDevice d) {
      tx.audit().append(AuditEvent.of(now, request.actor(), "device.revoked", d.deviceId(),
          newlyRevoked(matched) + " certificate(s) revoked"));
    }
    return Result.ok(new Revocation(revoked));
  }

  private static long newlyRevoked(List<CertificateRecord> matched) {
    return matched.stream().filter(c -> c.state() == CertificateRecord.State.VALID).count();
  }

  /** Each certificate in its revoked state; those that were valid are revoked now and audited. */
  private static List<CertificateRecord> revokeAll(RegistryTx tx, List<CertificateRecord> certs, Instant now,
      String actor) throws RegistryException {
    List<CertificateRecord> out = new ArrayList<>();
    for (CertificateRecord c : certs) {
      if (c.state() == CertificateRecord.State.REVOKED) {
        out.add(c);
        continue;
      }
      CertificateRecord revoked = c.revoked(now);
      tx.certificates().put(revoked);
      tx.audit().append(AuditEvent.of(now, actor, "cert.revoked",
          c.kind() == CertificateRecord.Kind.DEVICE ? c.subject() : null, "serial " + c.serial()));
      out.add(revoked);
    }
    return out;
  }

  @Override
  public X509CRL crl(RegistryTx tx) throws RegistryException {
    long number = tx.certificates().nextCrlNumber();
    Instant now = clock.instant();
    return ca.crl(tx.certificates().revokedUnexpired(now), number, now, settings.crlValidity());
  }

  @Override
  public List<X509Certificate> chain() {
    return ca.chain();
  }

  @Override
  public String toString() {
    return "DefaultCertificateAuthority[" + ca + "]";
  }
}
