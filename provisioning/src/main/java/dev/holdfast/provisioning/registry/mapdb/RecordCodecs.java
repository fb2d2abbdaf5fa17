package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.RotationRecord;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.RecordReader;
import dev.holdfast.vault.RecordWriter;
import dev.holdfast.vault.StoredNames;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.TreeSet;

/**
 * The registry's records as sealed vault values, in the shared record format (version 1 each; an
 * API key is version 2 since it counts requests, a device and a token are version 2 since they carry
 * labels; version 1 records still read, an old device or token as one without labels).
 * Enum constants are stored by the names below, which are those the first release wrote: they are
 * part of the file format and never change, whatever the constants are called in code.
 */
final class RecordCodecs {
  private RecordCodecs() {}

  static final StoredNames<Device.State> DEVICE_STATES = StoredNames.of(Device.State.class, s -> switch (s) {
    case ACTIVE -> "ACTIVE";
    case REVOKED -> "REVOKED";
  });
  static final StoredNames<Device.RotationState> ROTATION_STATES =
      StoredNames.of(Device.RotationState.class, s -> switch (s) {
        case IDLE -> "IDLE";
        case PENDING_CONFIRMATION -> "PENDING_CONFIRMATION";
      });
  static final StoredNames<CertificateRecord.Kind> CERTIFICATE_KINDS =
      StoredNames.of(CertificateRecord.Kind.class, k -> switch (k) {
        case ROOT_CA -> "ROOT_CA";
        case ISSUING_CA -> "ISSUING_CA";
        case DEVICE -> "DEVICE";
        case SERVER -> "SERVER";
        case OPERATOR -> "OPERATOR";
      });
  static final StoredNames<CertificateRecord.State> CERTIFICATE_STATES =
      StoredNames.of(CertificateRecord.State.class, s -> switch (s) {
        case VALID -> "VALID";
        case REVOKED -> "REVOKED";
      });
  static final StoredNames<ApiKeyRecord.State> KEY_STATES = StoredNames.of(ApiKeyRecord.State.class, s -> switch (s) {
    case ACTIVE -> "ACTIVE";
    case GRACE -> "GRACE";
    case REVOKED -> "REVOKED";
  });
  static final StoredNames<TokenRecord.State> TOKEN_STATES = StoredNames.of(TokenRecord.State.class, s -> switch (s) {
    case UNUSED -> "UNUSED";
    case REDEEMED -> "REDEEMED";
    case REVOKED -> "REVOKED";
  });
  static final StoredNames<IdempotencyRecord.Phase> PHASES =
      StoredNames.of(IdempotencyRecord.Phase.class, p -> switch (p) {
        case SENDING -> "SENDING";
        case SENT -> "SENT";
      });

  static final Codec<Device> DEVICE = new Codec<>() {
    @Override
    public byte[] encode(Device d) {
      return new RecordWriter(2).str(d.id()).str(d.profile()).instant(d.createdAt()).name(DEVICE_STATES, d.state())
          .name(ROTATION_STATES, d.rotation()).optStr(d.currentSerial()).optStr(d.pendingSerial())
          .strings(d.labels()).toBytes();
    }

    @Override
    public Device decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "device");
      boolean labelled = versionAtLeast2(r);
      return new Device(r.str(), r.str(), r.instant(), r.name(DEVICE_STATES), r.name(ROTATION_STATES), r.optStr(),
          r.optStr(), labels(r, labelled));
    }
  };

  static final Codec<CertificateRecord> CERTIFICATE = new Codec<>() {
    @Override
    public byte[] encode(CertificateRecord c) {
      return new RecordWriter(1).str(c.serial()).name(CERTIFICATE_KINDS, c.kind()).str(c.subject())
          .instant(c.notBefore()).instant(c.notAfter()).name(CERTIFICATE_STATES, c.state()).optInstant(c.revokedAt())
          .bytes(c.der()).toBytes();
    }

    @Override
    public CertificateRecord decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "certificate").expect(1);
      return new CertificateRecord(r.str(), r.name(CERTIFICATE_KINDS), r.str(), r.instant(), r.instant(),
          r.name(CERTIFICATE_STATES), r.optInstant(), r.bytes());
    }
  };

  static final Codec<ApiKeyRecord> API_KEY = new Codec<>() {
    @Override
    public byte[] encode(ApiKeyRecord k) {
      return new RecordWriter(2).str(k.id()).str(k.deviceId()).bytes(k.hmac()).strings(k.scopes())
          .instant(k.createdAt()).instant(k.expiresAt()).name(KEY_STATES, k.state()).optInstant(k.graceUntil())
          .optInstant(k.lastUsedAt()).i64(k.requests()).toBytes();
    }

    /** Version 1 (the first release) has no request count: such a key reads as 0 requests. */
    @Override
    public ApiKeyRecord decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "api key");
      boolean counted = versionAtLeast2(r);
      return new ApiKeyRecord(r.str(), r.str(), r.bytes(), new LinkedHashSet<>(r.strings()), r.instant(),
          r.instant(), r.name(KEY_STATES), r.optInstant(), r.optInstant(), counted ? r.i64() : 0);
    }
  };

  static final Codec<TokenRecord> TOKEN = new Codec<>() {
    @Override
    public byte[] encode(TokenRecord t) {
      return new RecordWriter(2).str(t.id()).bytes(t.hmac()).str(t.profile()).duration(t.certLifetime())
          .duration(t.keyLifetime()).strings(t.scopes()).instant(t.createdAt()).instant(t.expiresAt())
          .name(TOKEN_STATES, t.state()).optInstant(t.redeemedAt()).optStr(t.redeemedBy()).strings(t.labels())
          .toBytes();
    }

    @Override
    public TokenRecord decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "token");
      boolean labelled = versionAtLeast2(r);
      return new TokenRecord(r.str(), r.bytes(), r.str(), r.duration(), r.duration(),
          new LinkedHashSet<>(r.strings()), r.instant(), r.instant(), r.name(TOKEN_STATES), r.optInstant(),
          r.optStr(), labels(r, labelled));
    }
  };

  /** Whether {@code r} is a version 2 record (1 is the first release's; anything else is refused). */
  private static boolean versionAtLeast2(RecordReader r) {
    if (r.version() == 1) {
      return false;
    }
    r.expect(2);
    return true;
  }

  /** The labels a version 2 record ends with; none in a version 1 record. */
  private static TreeSet<String> labels(RecordReader r, boolean labelled) {
    return labelled ? new TreeSet<>(r.strings()) : new TreeSet<>();
  }

  static final Codec<IdempotencyRecord> IDEMPOTENCY = new Codec<>() {
    @Override
    public byte[] encode(IdempotencyRecord i) {
      return new RecordWriter(1).str(i.keyId()).str(i.idempotencyKey()).bytes(i.fingerprint())
          .name(PHASES, i.phase()).str(i.owner()).instant(i.createdAt()).i32(i.status()).str(i.responseBody())
          .toBytes();
    }

    @Override
    public IdempotencyRecord decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "idempotency").expect(1);
      return new IdempotencyRecord(r.str(), r.str(), r.bytes(), r.name(PHASES), r.str(), r.instant(), r.i32(),
          r.str());
    }
  };

  static final StoredNames<RotationRecord.State> ROTATION_RECORD_STATES =
      StoredNames.of(RotationRecord.State.class, s -> switch (s) {
        case PENDING -> "PENDING";
        case CONFIRMED -> "CONFIRMED";
        case SUPERSEDED -> "SUPERSEDED";
      });

  static final Codec<RotationRecord> ROTATION = new Codec<>() {
    @Override
    public byte[] encode(RotationRecord r) {
      return new RecordWriter(1).str(r.deviceId()).str(r.requestId()).name(ROTATION_RECORD_STATES, r.state())
          .str(r.oldSerial()).str(r.newSerial()).str(r.oldKeyId()).str(r.newKeyId()).instant(r.requestedAt())
          .str(r.renewAnswer()).optInstant(r.confirmedAt()).optStr(r.confirmAnswer()).toBytes();
    }

    @Override
    public RotationRecord decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "rotation").expect(1);
      return new RotationRecord(r.str(), r.str(), r.name(ROTATION_RECORD_STATES), r.str(), r.str(), r.str(), r.str(),
          r.instant(), r.str(), r.optInstant(), r.optStr());
    }
  };

  static final Codec<AuditEvent> AUDIT = new Codec<>() {
    @Override
    public byte[] encode(AuditEvent e) {
      return new RecordWriter(1).instant(e.at()).str(e.actor()).str(e.action()).optStr(e.deviceId()).str(e.detail())
          .toBytes();
    }

    @Override
    public AuditEvent decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "audit").expect(1);
      return new AuditEvent(r.instant(), r.str(), r.str(), r.optStr(), r.str());
    }
  };

  static final Codec<PendingReload> PENDING_RELOAD = new Codec<>() {
    @Override
    public byte[] encode(PendingReload p) {
      return new RecordWriter(1).instant(p.since()).str(p.what()).strings(p.sessionsToCut()).optStr(p.lastError())
          .toBytes();
    }

    @Override
    public PendingReload decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "pending reload").expect(1);
      return new PendingReload(r.instant(), r.str(), new LinkedHashSet<>(r.strings()), r.optStr());
    }
  };

  /** Big-endian, so ordered collections iterate in numeric order. */
  static final Codec<Long> LONG = new Codec<>() {
    @Override
    public byte[] encode(Long value) {
      return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    @Override
    public Long decode(byte[] bytes) {
      if (bytes.length != Long.BYTES) {
        throw new IllegalStateException("expected 8 bytes, got " + bytes.length);
      }
      return ByteBuffer.wrap(bytes).getLong();
    }
  };
}
