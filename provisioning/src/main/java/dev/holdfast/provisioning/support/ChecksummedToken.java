package dev.holdfast.provisioning.support;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;

/**
 * The GitHub-token layout shared by API keys and enrollment tokens: {@code prefix} + random
 * base62 + 6 base62 characters of the CRC32 of the random part. The prefix lets scanners find
 * leaked keys; the checksum rejects typos and truncations offline, before any lookup. The first
 * {@code idLength} random characters are the public id, by which logs and commands name it.
 */
public record ChecksummedToken(String prefix, int randomLength, int idLength) {
  public static final int CHECKSUM_LENGTH = 6;

  /** Why a string is not a token of this kind. */
  public enum Defect {
    /** Wrong prefix, length or characters. */
    MALFORMED,
    /** Well-formed but the checksum does not match: a typo or a made-up value. */
    BAD_CHECKSUM
  }

  /** A parsed token: its public id; the full text stays with the caller. */
  public record Parsed(String id) {}

  public ChecksummedToken {
    Checks.notBlank(prefix, "token.prefix");
    Checks.inRange(idLength, 4, randomLength, "token.id-length");
  }

  public int length() {
    return prefix.length() + randomLength + CHECKSUM_LENGTH;
  }

  /** A new token; the caller must show it once and keep only its HMAC. */
  public String generate(RandomGenerator random) {
    String body = Base62.random(random, randomLength);
    return prefix + body + checksum(body);
  }

  /** The value with the valid checksum for {@code body}; tests use it to build near-miss tokens. */
  public String withChecksum(String body) {
    return prefix + body + checksum(body);
  }

  public static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    return Base62.fixedWidth(crc.getValue(), CHECKSUM_LENGTH);
  }

  /** The public id if {@code text} is well-formed with a valid checksum, else the defect. */
  public Optional<Defect> defect(String text) {
    if (text == null || text.length() != length() || !text.startsWith(prefix)
        || !Base62.isBase62(text.substring(prefix.length()))) {
      return Optional.of(Defect.MALFORMED);
    }
    String body = text.substring(prefix.length(), prefix.length() + randomLength);
    String sum = text.substring(prefix.length() + randomLength);
    return sum.equals(checksum(body)) ? Optional.empty() : Optional.of(Defect.BAD_CHECKSUM);
  }

  /** The public id of a well-formed token (call {@link #defect} first). */
  public String idOf(String text) {
    return text.substring(prefix.length(), prefix.length() + idLength);
  }
}
