package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.Secret;
import java.nio.charset.StandardCharsets;

/** Turns a key or value into bytes and back. Decoding sees only authenticated bytes. */
public interface Codec<T> {
  byte[] encode(T value);

  T decode(byte[] bytes);

  Codec<String> UTF8 =
      new Codec<>() {
        @Override
        public byte[] encode(String value) {
          return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
          return new String(bytes, StandardCharsets.UTF_8);
        }
      };

  Codec<byte[]> BYTES =
      new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
          return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
          return bytes;
        }
      };

  /** Values that are secrets come back as {@link Secret}, so they print redacted. */
  Codec<Secret> SECRET =
      new Codec<>() {
        @Override
        public byte[] encode(Secret value) {
          return value.bytes();
        }

        @Override
        public Secret decode(byte[] bytes) {
          return Secret.wrap(bytes);
        }
      };
}
