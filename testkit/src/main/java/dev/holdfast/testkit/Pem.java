package dev.holdfast.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding, and files written 0600 to a temp file, fsynced, then renamed into place. */
final class Pem {
  private Pem() {}

  static String encode(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      for (Object o : objects) {
        if (o instanceof PrivateKey key) {
          // PKCS#8 "PRIVATE KEY": JcaPEMWriter would label the PKCS#8 bytes "EC PRIVATE KEY", which OpenSSL rejects.
          pem.writeObject(new JcaPKCS8Generator(key, null));
        } else {
          pem.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot PEM-encode", e);
    }
    return text.toString();
  }

  /** Replaces {@code file} atomically, so a broker reloading on SIGHUP never sees half a file. */
  static Path write(Path file, String content) {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ch.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
