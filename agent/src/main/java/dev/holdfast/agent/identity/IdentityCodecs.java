package dev.holdfast.agent.identity;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.RecordReader;
import dev.holdfast.vault.RecordWriter;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The identity records as sealed vault values, in the shared record format ({@link RecordWriter}):
 * keys as PKCS#8 / SubjectPublicKeyInfo DER, certificates DER, instants as epoch milliseconds.
 * Version 2. Version 1 (the first release: a 4-byte version and instants as ISO-8601 text, the
 * rest the same) is still read, so an enrolled device keeps its identity across the upgrade;
 * the next write of the record is version 2.
 */
final class IdentityCodecs {
  private static final int VERSION = 2;

  private IdentityCodecs() {}

  static final Codec<CredentialSet> CREDENTIAL_SET = new Codec<>() {
    @Override
    public byte[] encode(CredentialSet s) {
      RecordWriter w = new RecordWriter(VERSION).str(s.deviceId()).secretBytes(s.privateKey().getEncoded())
          .i32(s.chain().size());
      s.chain().forEach(c -> w.bytes(der(c)));
      return w.bytes(der(s.fleetRoot())).secretBytes(s.apiKey().bytes()).str(s.apiKeyId())
          .instant(s.apiKeyExpiresAt()).strings(s.scopes()).bytes(s.commandKey().getEncoded())
          .instant(s.enrolledAt()).toBytes();
    }

    @Override
    public CredentialSet decode(byte[] bytes) {
      Fields f = Fields.of(bytes);
      RecordReader r = f.reader;
      String deviceId = r.str();
      PrivateKey key = privateKey(r);
      int n = r.i32();
      List<X509Certificate> chain = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        chain.add(certificate(r));
      }
      X509Certificate root = certificate(r);
      Secret apiKey = Secret.wrap(r.bytes());
      String apiKeyId = r.str();
      Instant expires = f.instant.get();
      List<String> scopes = r.strings();
      PublicKey commandKey = publicKey(r);
      Instant enrolledAt = f.instant.get();
      return new CredentialSet(deviceId, key, chain, root, apiKey, apiKeyId, expires, scopes, commandKey, enrolledAt);
    }
  };

  static final Codec<PendingKey> PENDING_KEY = new Codec<>() {
    @Override
    public byte[] encode(PendingKey k) {
      return new RecordWriter(VERSION).secretBytes(k.privateKey().getEncoded()).bytes(k.publicKey().getEncoded())
          .instant(k.createdAt()).toBytes();
    }

    @Override
    public PendingKey decode(byte[] bytes) {
      Fields f = Fields.of(bytes);
      return new PendingKey(privateKey(f.reader), publicKey(f.reader), f.instant.get());
    }
  };

  /** A reader past the version, and how instants are stored in that version. */
  private record Fields(RecordReader reader, Supplier<Instant> instant) {
    static Fields of(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "identity");
      if (r.version() == VERSION) {
        return new Fields(r, r::instant);
      }
      if (r.version() == 0 && r.u8() == 0 && r.u8() == 0 && r.u8() == 1) {
        return new Fields(r, () -> Instant.parse(r.str()));
      }
      throw new IllegalStateException("identity record version " + r.version() + " is not known to this agent");
    }
  }

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate does not encode", e);
    }
  }

  private static PrivateKey privateKey(RecordReader r) {
    byte[] pkcs8 = r.bytes();
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("identity record holds an unreadable private key", e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private static PublicKey publicKey(RecordReader r) {
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(r.bytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("identity record holds an unreadable public key", e);
    }
  }

  private static X509Certificate certificate(RecordReader r) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(r.bytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("identity record holds an unreadable certificate", e);
    }
  }
}
