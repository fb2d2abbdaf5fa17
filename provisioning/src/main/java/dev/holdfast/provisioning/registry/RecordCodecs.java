package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Bytes;
import dev.holdfast.vault.Codec;
import java.nio.ByteBuffer;

/** Explicit binary codecs for the registry's records (version byte first). */
final class RecordCodecs {
  private RecordCodecs() {}

  private abstract static class Versioned<T> implements Codec<T> {
    final int version;
    final String what;

    Versioned(int version, String what) {
      this.version = version;
      this.what = what;
    }

    Bytes.Writer writer() {
      return new Bytes.Writer(version);
    }

    Bytes.Reader reader(byte[] bytes) {
      return new Bytes.Reader(bytes, version, what);
    }
  }

  static final Codec<Device> DEVICE = new Versioned<>(1, "device") {
    @Override
    public byte[] encode(Device d) {
      return writer().str(d.id()).str(d.profile()).instant(d.createdAt()).str(d.state().name())
          .str(d.rotation().name()).optStr(d.currentSerial()).optStr(d.pendingSerial()).toBytes();
    }

    @Override
    public Device decode(byte[] bytes) {
      Bytes.Reader r = reader(bytes);
      return new Device(r.str(), r.str(), r.instant(), Device.State.valueOf(r.str()),
          Device.RotationState.valueOf(r.str()), r.optStr(), r.optStr());
    }
  };

  static final Codec<CertificateRecord> CERTIFICATE = new Versioned<>(1, "certificate") {
    @Override
    public byte[] encode(CertificateRecord c) {
      return writer().str(c.serial()).str(c.kind().name()).str(c.subject()).instant(c.notBefore())
          .instant(c.notAfter()).str(c.state().name()).optInstant(c.revokedAt()).bytes(c.der()).toBytes();
    }

    @Override
    public CertificateRecord decode(byte[] bytes) {
      Bytes.Reader r = reader(bytes);
      return new CertificateRecord(r.str(), CertificateRecord.Kind.valueOf(r.str()), r.str(), r.instant(),
          r.instant(), CertificateRecord.State.valueOf(r.str()), r.optInstant(), r.bytes());
    }
  };

  static final Codec<ApiKeyRecord> API_KEY = new Versioned<>(1, "api key") {
    @Override
    public byte[] encode(ApiKeyRecord k) {
      return writer().str(k.id()).str(k.deviceId()).bytes(k.hmac()).strings(k.scopes()).instant(k.createdAt())
          .instant(k.expiresAt()).str(k.state().name()).optInstant(k.graceUntil()).optInstant(k.lastUsedAt())
          .toBytes();
    }

    @Override
    public ApiKeyRecord decode(byte[] bytes) {
      Bytes.Reader r = reader(bytes);
      return new ApiKeyRecord(r.str(), r.str(), r.bytes(), r.strings(), r.instant(), r.instant(),
          ApiKeyRecord.State.valueOf(r.str()), r.optInstant(), r.optInstant());
    }
  };

  static final Codec<TokenRecord> TOKEN = new Versioned<>(1, "token") {
    @Override
    public byte[] encode(TokenRecord t) {
      return writer().str(t.id()).bytes(t.hmac()).str(t.profile()).duration(t.certLifetime())
          .duration(t.keyLifetime()).strings(t.scopes()).instant(t.createdAt()).instant(t.expiresAt())
          .str(t.state().name()).optInstant(t.redeemedAt()).optStr(t.redeemedBy()).toBytes();
    }

    @Override
    public TokenRecord decode(byte[] bytes) {
      Bytes.Reader r = reader(bytes);
      return new TokenRecord(r.str(), r.bytes(), r.str(), r.duration(), r.duration(), r.strings(),
          r.instant(), r.instant(), TokenRecord.State.valueOf(r.str()), r.optInstant(), r.optStr());
    }
  };

  static final Codec<IdempotencyRecord> IDEMPOTENCY = new Versioned<>(1, "idempotency") {
    @Override
    public byte[] encode(IdempotencyRecord i) {
      return writer().str(i.keyId()).str(i.idempotencyKey()).bytes(i.fingerprint()).str(i.phase().name())
          .str(i.owner()).instant(i.createdAt()).i32(i.status()).str(i.responseBody()).toBytes();
    }

    @Override
    public IdempotencyRecord decode(byte[] bytes) {
      Bytes.Reader r = reader(bytes);
      return new IdempotencyRecord(r.str(), r.str(), r.bytes(), IdempotencyRecord.Phase.valueOf(r.str()),
          r.str(), r.instant(), r.i32(), r.str());
    }
  };

  static final Codec<AuditEvent> AUDIT = new Versioned<>(1, "audit") {
    @Override
    public byte[] encode(AuditEvent e) {
      return writer().instant(e.at()).str(e.actor()).str(e.action()).optStr(e.deviceId()).str(e.detail())
          .toBytes();
    }

    @Override
    public AuditEvent decode(byte[] bytes) {
      Bytes.Reader r = reader(bytes);
      return new AuditEvent(r.instant(), r.str(), r.str(), r.optStr(), r.str());
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
