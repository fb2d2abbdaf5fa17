package dev.holdfast.provisioning.credentials;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.ca.CertificateRecords;
import dev.holdfast.provisioning.ca.CertificateTemplates;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.ca.SerialNumbers;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A throwaway client certificate with a revoked device's CN, to close the device's open MQTT
 * session: the broker makes the CN the client id, and a second connection with one client id takes
 * the first one's session over (Mosquitto 2.0.11 keeps a live session across a CRL reload and an ACL
 * deny, but not across a takeover). Its key lives only in memory, it is valid for {@link #LIFETIME},
 * and its record is revoked in the transaction that issues it: the CRL the broker holds at that
 * moment was made before, so the takeover connects, and every later CRL lists it.
 */
public final class TakeoverCredentials {
  /** Long enough for one connection; nothing else ever holds the key. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  private final Registry registry;
  private final FleetCa fleet;
  private final Clock clock;
  private final SecureRandom random;

  public TakeoverCredentials(Registry registry, FleetCa fleet, Clock clock, SecureRandom random) {
    this.registry = registry;
    this.fleet = fleet;
    this.clock = clock;
    this.random = random;
  }

  /** A key and certificate (leaf, issuing, root) with CN {@code deviceId}, recorded as revoked at once. */
  public ServerCredentials issue(String deviceId, String actor) throws RegistryException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return registry.write(tx -> {
      KeyPair keys = P256.generate(random);
      X509Certificate leaf = fleet.sign(tx.certificates(), deviceId, keys.getPublic(), now, now.plus(LIFETIME),
          CertificateTemplates.Usage.DEVICE, List.of());
      tx.certificates().put(CertificateRecords.of(leaf, CertificateRecord.Kind.DEVICE, deviceId).revoked(now));
      tx.audit().append(AuditEvent.of(now, actor, "device.session-cut", deviceId, "takeover certificate "
          + SerialNumbers.hex(leaf.getSerialNumber()) + " (revoked at once, key kept in memory only)"));
      return new ServerCredentials(keys.getPrivate(), List.of(leaf, fleet.issuing(), fleet.root()));
    });
  }
}
