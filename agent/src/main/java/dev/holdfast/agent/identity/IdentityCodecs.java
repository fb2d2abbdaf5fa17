package dev.holdfast.agent.identity;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * Binary encodings of the identity records (inside sealed vault values): a version byte, then
 * each field as a length-prefixed byte string. Keys are PKCS#8 / SubjectPublicKeyInfo DER,
 * certificates DER, instants ISO-8601. Explicit, so no reflective serializer is ever involved.
 */
final class IdentityCodecs {
  private static final int VERSION = 1;

  private IdentityCodecs() {}

  static final Codec<CredentialSet> CREDENTIAL_SET = new Codec<>() {
    @Override
    public byte[] encode(CredentialSet s) {
      Writer w = new Writer();
      w.string(s.deviceId());
      w.secretBytes(s.privateKey().getEncoded());
      w.count(s.chain().size());
      s.chain().forEach(c -> w.bytes(der(c)));
      w.bytes(der(s.fleetRoot()));
      w.secretBytes(s.apiKey().bytes());
      w.string(s.apiKeyId());
      w.string(s.apiKeyExpiresAt().toString());
      w.count(s.scopes().size());
      s.scopes().forEach(w::string);
      w.bytes(s.commandKey().getEncoded());
      w.string(s.enrolledAt().toString());
      return w.done();
    }

    @Override
    public CredentialSet decode(byte[] bytes) {
      Reader r = new Reader(bytes);
      String deviceId = r.string();
      PrivateKey key = r.privateKey();
      int n = r.count();
      List<X509Certificate> chain = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        chain.add(r.certificate());
      }
      X509Certificate root = r.certificate();
      Secret apiKey = Secret.wrap(r.bytes());
      String apiKeyId = r.string();
      Instant expires = Instant.parse(r.string());
      int m = r.count();
      List<String> scopes = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        scopes.add(r.string());
      }
      PublicKey commandKey = r.publicKey();
      Instant enrolledAt = Instant.parse(r.string());
      return new CredentialSet(deviceId, key, chain, root, apiKey, apiKeyId, expires, scopes, commandKey, enrolledAt);
    }
  };

  static final Codec<PendingKey> PENDING_KEY = new Codec<>() {
    @Override
    public byte[] encode(PendingKey k) {
      Writer w = new Writer();
      w.secretBytes(k.privateKey().getEncoded());
      w.bytes(k.publicKey().getEncoded());
      w.string(k.createdAt().toString());
      return w.done();
    }

    @Override
    public PendingKey decode(byte[] bytes) {
      Reader r = new Reader(bytes);
      return new PendingKey(r.privateKey(), r.publicKey(), Instant.parse(r.string()));
    }
  };

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate does not encode", e);
    }
  }

  /** Length-prefixed fields; secret inputs are wiped once copied in. */
  private static final class Writer {
    private final WipeableBuffer buf = new WipeableBuffer();
    private final DataOutputStream out = new DataOutputStream(buf);

    Writer() {
      count(VERSION);
    }

    void count(int n) {
      try {
        out.writeInt(n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void bytes(byte[] b) {
      count(b.length);
      buf.write(b, 0, b.length);
    }

    void secretBytes(byte[] b) {
      bytes(b);
      Arrays.fill(b, (byte) 0);
    }

    void string(String s) {
      bytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    byte[] done() {
      byte[] result = buf.toByteArray();
      buf.wipe();
      return result;
    }
  }

  /** A buffer whose internal array can be overwritten once its copy has been taken. */
  private static final class WipeableBuffer extends ByteArrayOutputStream {
    synchronized void wipe() {
      Arrays.fill(buf, (byte) 0);
      reset();
    }
  }

  /** Reads what {@link Writer} wrote; the bytes were authenticated by the vault before. */
  private static final class Reader {
    private final DataInputStream in;

    Reader(byte[] bytes) {
      in = new DataInputStream(new ByteArrayInputStream(bytes));
      int version = count();
      if (version != VERSION) {
        throw new IllegalStateException("identity record version " + version + " is not known to this agent");
      }
    }

    int count() {
      try {
        return in.readInt();
      } catch (IOException e) {
        throw new IllegalStateException("identity record is truncated", e);
      }
    }

    byte[] bytes() {
      int n = count();
      try {
        if (n < 0 || n > in.available()) {
          throw new IllegalStateException("identity record is malformed");
        }
        return in.readNBytes(n);
      } catch (IOException e) {
        throw new IllegalStateException("identity record is truncated", e);
      }
    }

    String string() {
      return new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    PrivateKey privateKey() {
      byte[] pkcs8 = bytes();
      try {
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("identity record holds an unreadable private key", e);
      } finally {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }

    PublicKey publicKey() {
      try {
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(bytes()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("identity record holds an unreadable public key", e);
      }
    }

    X509Certificate certificate() {
      try {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(bytes()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("identity record holds an unreadable certificate", e);
      }
    }
  }
}
