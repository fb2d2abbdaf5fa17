package dev.holdfast.provisioning.ca;

import dev.holdfast.common.Result;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Revocation as one step inside the caller's registry transaction: the certificates, the API keys
 * and the record that the broker has not taken the change yet commit together or not at all. A
 * whole device ({@link #device}: it never works again, and its open MQTT session is to be cut) or
 * the credentials a rotation replaces ({@link #credentials}: the device stays active). Publishing
 * the CRL and the ACL and signalling the broker come after the commit ({@code broker.BrokerSync}).
 */
public final class Revocations {
  private final CertificateAuthority ca;
  private final Clock clock;

  public Revocations(CertificateAuthority ca, Clock clock) {
    this.ca = ca;
    this.clock = clock;
  }

  /** Revokes every certificate and every API key of the device, and marks the device revoked. */
  public Result<DeviceRevocation, CaRefusal> device(RegistryTx tx, String deviceId, String actor)
      throws RegistryException {
    Result<Revocation, CaRefusal> certs = ca.revoke(tx, new RevokeRequest.OfDevice(deviceId, actor));
    if (certs instanceof Result.Refused<Revocation, CaRefusal> r) {
      return r.cast();
    }
    List<ApiKeyRecord> keys = revokeKeys(tx, tx.apiKeys().ofDevice(deviceId), actor);
    tx.brokerReloads().markPending(clock.instant(), "device " + deviceId + " revoked", Set.of(deviceId));
    return Result.ok(new DeviceRevocation(deviceId, certs.ok().orElseThrow(), keys));
  }

  /**
   * Revokes one certificate of an active device and, when given, one of its API keys (what a
   * rotation's confirm step retires); the device stays active and its session is not cut.
   */
  public Result<DeviceRevocation, CaRefusal> credentials(RegistryTx tx, String deviceId, String serial,
      Optional<String> apiKeyId, String actor) throws RegistryException {
    Optional<CertificateRecord> cert = tx.certificates().find(SerialNumbers.hex(SerialNumbers.parse(serial)));
    if (cert.isEmpty() || !cert.get().subject().equals(deviceId)) {
      return Result.refused(CaRefusal.UNKNOWN_CERTIFICATE, "device " + deviceId + " has no certificate " + serial);
    }
    List<ApiKeyRecord> keys = new ArrayList<>();
    if (apiKeyId.isPresent()) {
      Optional<ApiKeyRecord> key = tx.apiKeys().find(apiKeyId.get());
      if (key.isEmpty() || !key.get().deviceId().equals(deviceId)) {
        return Result.refused(CaRefusal.UNKNOWN_CERTIFICATE, "device " + deviceId + " has no API key " + apiKeyId.get());
      }
      keys.add(key.get());
    }
    Result<Revocation, CaRefusal> certs = ca.revoke(tx, new RevokeRequest.BySerial(serial, actor));
    if (certs instanceof Result.Refused<Revocation, CaRefusal> r) {
      return r.cast();
    }
    List<ApiKeyRecord> revoked = revokeKeys(tx, keys, actor);
    tx.brokerReloads().markPending(clock.instant(), "certificate " + cert.get().serial() + " revoked", Set.of());
    return Result.ok(new DeviceRevocation(deviceId, certs.ok().orElseThrow(), revoked));
  }

  /** Each key in its revoked state; those that were not revoked yet are revoked now and audited. */
  private List<ApiKeyRecord> revokeKeys(RegistryTx tx, List<ApiKeyRecord> keys, String actor)
      throws RegistryException {
    Instant now = clock.instant();
    List<ApiKeyRecord> out = new ArrayList<>();
    for (ApiKeyRecord k : keys) {
      if (k.state() == ApiKeyRecord.State.REVOKED) {
        out.add(k);
        continue;
      }
      ApiKeyRecord revoked = k.withState(ApiKeyRecord.State.REVOKED, Optional.empty());
      tx.apiKeys().put(revoked);
      tx.audit().append(AuditEvent.of(now, actor, "key.revoked", k.deviceId(), "key " + k.id()));
      out.add(revoked);
    }
    return out;
  }

  /**
   * The revoked devices the broker's ACL must deny, sorted: those that may still hold a certificate
   * that has not expired (one that has cannot connect anyway).
   */
  public static List<String> deniedDevices(RegistryTx tx, Instant now) throws RegistryException {
    Set<String> unexpired = new HashSet<>();
    for (CertificateRecord c : tx.certificates().all()) {
      if (c.kind() == CertificateRecord.Kind.DEVICE && !c.expiredAt(now)) {
        unexpired.add(c.subject());
      }
    }
    Set<String> out = new TreeSet<>();
    for (Device d : tx.devices().all()) {
      if (d.state() == Device.State.REVOKED && unexpired.contains(d.id())) {
        out.add(d.id());
      }
    }
    return List.copyOf(out);
  }
}
