package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.JsonParser;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Reads the fields of a parsed JSON message, naming the field and the message in every error. */
final class Fields {
  static final int VERSION = 1;
  private final String message;
  private final Map<String, Object> json;

  private Fields(String message, Map<String, Object> json) {
    this.message = message;
    this.json = json;
  }

  static Fields parse(String message, String text) throws MessageException {
    try {
      return checked(message, JsonParser.parseObject(text));
    } catch (JsonParser.JsonException e) {
      throw new MessageException(message + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** From bytes as they came off the wire: strict UTF-8, never a replacement character. */
  static Fields parse(String message, byte[] utf8) throws MessageException {
    try {
      return checked(message, JsonParser.parseObject(utf8));
    } catch (JsonParser.JsonException e) {
      throw new MessageException(message + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The version must be the number 1 exactly: {@code 1.5} or {@code 4294967297} is not "1" truncated. */
  private static Fields checked(String message, Map<String, Object> json) throws MessageException {
    Object v = json.get("v");
    if (!(v instanceof BigDecimal n) || n.compareTo(BigDecimal.valueOf(VERSION)) != 0) {
      String shown = v instanceof BigDecimal n && n.precision() - n.scale() > 12 ? "(a large number)" : String.valueOf(v);
      throw new MessageException(message + ": unsupported version " + shown + " (this side speaks v" + VERSION + ")");
    }
    return new Fields(message, json);
  }

  String string(String name) throws MessageException {
    if (json.get(name) instanceof String s && !s.isEmpty()) {
      return s;
    }
    throw new MessageException(message + ": field '" + name + "' is missing or not a string");
  }

  byte[] bytes(String name) throws MessageException {
    try {
      return Base64.getDecoder().decode(string(name));
    } catch (IllegalArgumentException e) {
      throw new MessageException(message + ": field '" + name + "' is not base64");
    }
  }

  Instant instant(String name) throws MessageException {
    try {
      return Instant.parse(string(name));
    } catch (DateTimeParseException e) {
      throw new MessageException(message + ": field '" + name + "' is not an ISO-8601 instant");
    }
  }

  List<String> strings(String name) throws MessageException {
    if (!(json.get(name) instanceof List<?> list)) {
      throw new MessageException(message + ": field '" + name + "' is missing or not a list");
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new MessageException(message + ": field '" + name + "' must hold strings only");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  PublicKey ecPublicKey(String name) throws MessageException {
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(bytes(name)));
    } catch (GeneralSecurityException e) {
      throw new MessageException(message + ": field '" + name + "' is not an EC public key");
    }
  }

  List<X509Certificate> certificates(String name) throws MessageException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (String b64 : strings(name)) {
        out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(b64))));
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new MessageException(message + ": field '" + name + "' holds something that is not a DER certificate");
    }
    if (out.isEmpty()) {
      throw new MessageException(message + ": field '" + name + "' is empty");
    }
    return List.copyOf(out);
  }

  /** Whether the message has the field at all (null counts as absent). */
  boolean has(String name) {
    return json.get(name) != null;
  }

  /** Certificates as DER, in order: what a canonical encoding of a chain covers. */
  static List<byte[]> der(List<X509Certificate> certs) {
    List<byte[]> out = new ArrayList<>();
    for (X509Certificate c : certs) {
      try {
        out.add(c.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("certificate does not encode", e);
      }
    }
    return out;
  }

  /** Certificates as a JSON list of base64 DER. */
  static List<String> base64(List<X509Certificate> certs) {
    return der(certs).stream().map(Fields::base64).toList();
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
