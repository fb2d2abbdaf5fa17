package dev.holdfast.vault;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed collection in the vault.
 *
 * <p>With {@code hiddenKeys}, record keys are stored only as an HMAC under a key derived from the
 * master key (the real key travels inside the sealed value): use it when a key could reveal
 * something, e.g. a secret's name. Without it, keys are stored as their bytes and iterate in
 * unsigned byte order: use it for keys that reveal nothing and must be ordered, e.g. time-ordered
 * record ids. Values are always sealed.
 *
 * @param name lower-case letters, digits and dashes; it is stored in clear as the map's name
 */
public record VaultCollection<K, V>(String name, Codec<K> keys, Codec<V> values, boolean hiddenKeys) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  public VaultCollection {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "collection name must match " + NAME.pattern() + ", got: " + name);
    }
  }

  public static <K, V> VaultCollection<K, V> hidden(String name, Codec<K> keys, Codec<V> values) {
    return new VaultCollection<>(name, keys, values, true);
  }

  public static <K, V> VaultCollection<K, V> ordered(String name, Codec<K> keys, Codec<V> values) {
    return new VaultCollection<>(name, keys, values, false);
  }
}
