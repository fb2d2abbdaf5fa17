package dev.holdfast.vault;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the constants of one enum are stored: by a name fixed in code, never by ordinal (reordering
 * the constants would silently turn one value into another in every stored record) nor by the Java
 * name alone (renaming a constant would make stored records unreadable). Give the names with an
 * exhaustive {@code switch}, so a new constant does not compile until it has its stored name:
 * {@code StoredNames.of(State.class, s -> switch (s) { case ACTIVE -> "ACTIVE"; case REVOKED -> "REVOKED"; })}.
 * Once a name has been stored, it never changes.
 */
public final class StoredNames<E extends Enum<E>> {
  private final Class<E> type;
  private final Map<E, String> names;
  private final Map<String, E> constants = new HashMap<>();

  private StoredNames(Class<E> type, Function<E, String> name) {
    this.type = type;
    this.names = new EnumMap<>(type);
    for (E e : type.getEnumConstants()) {
      String n = name.apply(e);
      if (n == null || n.isEmpty() || constants.put(n, e) != null) {
        throw new IllegalArgumentException(type.getSimpleName() + "." + e.name() + " needs a stored name of its own");
      }
      names.put(e, n);
    }
  }

  public static <E extends Enum<E>> StoredNames<E> of(Class<E> type, Function<E, String> name) {
    return new StoredNames<>(type, name);
  }

  public String nameOf(E constant) {
    return names.get(constant);
  }

  public Optional<E> constantOf(String stored) {
    return Optional.ofNullable(constants.get(stored));
  }

  public Class<E> type() {
    return type;
  }
}
