package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * Vault key files: 64 hex digits and a newline (what {@link #generate} writes), nothing else. Read
 * only when owner-only (0600 or 0400).
 */
public final class KeyFiles {
  private KeyFiles() {}

  /** Writes a new random key to {@code out}, mode 0600; never overwrites an existing file. */
  public static void generate(Path out, SecureRandom random) throws VaultException {
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] text = (HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (!Files.isDirectory(parent)) {
        throw new VaultException(
            VaultException.Reason.MISSING, "directory " + parent + " does not exist; create it first");
      }
      SecureFiles.writeAtomically(out, text, false);
    } catch (FileAlreadyExistsException e) {
      throw new VaultException(
          VaultException.Reason.ALREADY_EXISTS,
          out + " already exists; refusing to overwrite a key (choose another path or remove it)");
    } catch (IOException e) {
      throw new VaultException(
          VaultException.Reason.IO, "could not write key file " + out + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(text, (byte) 0);
    }
  }

  /** Reads a key file, refusing it unless only its owner can read it. */
  public static Secret read(Path file) throws VaultException {
    try {
      if (!SecureFiles.isOwnerOnly(file)) {
        throw new VaultException(
            VaultException.Reason.INSECURE_KEY_FILE,
            "key file "
                + file
                + " has mode "
                + SecureFiles.mode(file)
                + "; others could read it. It must be 0600 or 0400: chmod 600 "
                + file);
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!perms.contains(PosixFilePermission.OWNER_READ)) {
        throw new VaultException(
            VaultException.Reason.INSECURE_KEY_FILE,
            "key file " + file + " is not readable by its owner; it must be 0600 or 0400");
      }
      return parse(Files.readAllBytes(file), "key file " + file);
    } catch (NoSuchFileException e) {
      throw new VaultException(VaultException.Reason.MISSING, "key file " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new VaultException(
          VaultException.Reason.INSECURE_KEY_FILE,
          "no permission to read key file " + file + "; run as its owner");
    } catch (IOException e) {
      throw new VaultException(
          VaultException.Reason.IO, "could not read key file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses key material from a key file or a systemd credential; wipes {@code content}. The one
   * format is what {@link #generate} writes: 64 hex digits, then optionally one newline ({@code \n}
   * or {@code \r\n}). Nothing else is taken: not 32 raw bytes, since a 32-character passphrase or
   * 32 hex digits (128 bits) would then pass as a 256-bit key without any stretching.
   */
  public static Secret parse(byte[] content, String what) throws VaultException {
    try {
      int end = content.length;
      if (end > 0 && content[end - 1] == '\n') {
        end--;
        if (end > 0 && content[end - 1] == '\r') {
          end--;
        }
      }
      if (end == 64 && isHex(content, 64)) {
        return Secret.wrap(HexFormat.of().parseHex(new String(content, 0, 64, StandardCharsets.US_ASCII)));
      }
      throw new VaultException(
          VaultException.Reason.BAD_KEY_FILE,
          what
              + " does not hold a 256-bit key: expected 64 hex digits and a newline, found "
              + content.length
              + " bytes. Create one with 'holdfast-agent vault keygen --out FILE'"
              + (content.length == 32
                  ? "; a file of 32 raw random bytes converts with: xxd -p -c 32 OLD > NEW (then chmod 600 NEW)"
                  : ""));
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static boolean isHex(byte[] content, int length) {
    for (int i = 0; i < length; i++) {
      if (Character.digit(content[i], 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
