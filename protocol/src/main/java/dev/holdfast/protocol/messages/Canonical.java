package dev.holdfast.protocol.messages;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The bytes a signature covers: a domain string, then every field in a fixed order, each as a
 * 4-byte big-endian length and its bytes (strings UTF-8, instants as ISO-8601 UTC, lists as their
 * count then each element). Length prefixes make the encoding unambiguous, and the domain keeps a
 * signature made for one message type from verifying as another.
 */
public final class Canonical {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Canonical(String domain) {
    add(domain);
  }

  public static Canonical of(String domain) {
    return new Canonical(domain);
  }

  public Canonical add(byte[] field) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
    out.writeBytes(field);
    return this;
  }

  /**
   * Adds a string as UTF-8. A string with an unpaired surrogate has no UTF-8 form ({@code
   * getBytes} would write {@code ?} for it, so two different strings would sign alike): it is
   * refused.
   */
  public Canonical add(String field) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(field));
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return add(bytes);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a signed field holds an unpaired surrogate; it has no UTF-8 form");
    }
  }

  public Canonical add(Instant field) {
    return add(field.toString());
  }

  public Canonical addStrings(List<String> fields) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(fields.size()).array());
    fields.forEach(this::add);
    return this;
  }

  public Canonical addBytes(List<byte[]> fields) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(fields.size()).array());
    fields.forEach(this::add);
    return this;
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
