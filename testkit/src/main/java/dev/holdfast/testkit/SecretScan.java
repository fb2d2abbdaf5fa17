package dev.holdfast.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Greps files for secrets the way an attacker with the disk would: every form a secret could leak
 * in (raw bytes, hex, base64, each line of its PEM), in every regular file under a path.
 */
public final class SecretScan {
  private SecretScan() {}

  /** The forms of a binary secret (a private key's encoding, a raw scalar). */
  public static List<String> forms(byte[] secret) {
    List<String> out = new ArrayList<>(List.of(new String(secret, StandardCharsets.ISO_8859_1),
        HexFormat.of().formatHex(secret), Base64.getEncoder().encodeToString(secret)));
    Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(secret).lines()
        .filter(l -> l.length() >= 16).forEach(out::add);
    return out;
  }

  /** Fails naming the file (never the secret) when any of {@code forbidden} occurs under {@code where}. */
  public static void assertNoneIn(Path where, List<String> forbidden) throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.walk(where)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertTrue(!files.isEmpty(), "no files under " + where + " to scan");
    for (Path f : files) {
      String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String value : forbidden) {
        assertFalse(raw.contains(value), "a secret (" + value.length() + " chars) is readable in " + f);
      }
    }
  }
}
