package dev.holdfast.common.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys a configuration file may hold: fixed keys, and families of keys with a name in the
 * middle ({@code profile.NAME.scopes}). An unknown key is refused with the closest known one.
 *
 * @param delegated prefixes whose keys the file accepts as they are, because their owner checks them
 *     (with suggestions of its own) once the file is read: the agent's {@code gpio.} keys
 * @param docs where the known keys are listed, for a key with no plausible match
 */
public record KnownKeys(Set<String> fixed, List<Family> families, List<String> delegated, String docs) {
  /** A name lowercase letters, digits and dashes: what a family's middle part may be. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  /** Keys {@code prefix + NAME + "." + suffix} for every suffix. */
  public record Family(String prefix, Set<String> suffixes) {
    public Family {
      suffixes = Set.copyOf(suffixes);
    }

    /** The name in the middle of {@code key}, if {@code key} is of this family (any suffix). */
    Optional<String> nameOf(String key) {
      if (!key.startsWith(prefix)) {
        return Optional.empty();
      }
      int dot = key.indexOf('.', prefix.length());
      return dot < 0 ? Optional.empty() : Optional.of(key.substring(prefix.length(), dot));
    }

    boolean contains(String key) {
      Optional<String> name = nameOf(key);
      return name.isPresent() && NAME.matcher(name.get()).matches()
          && suffixes.contains(key.substring(prefix.length() + name.get().length() + 1));
    }
  }

  public KnownKeys {
    fixed = Set.copyOf(fixed);
    families = List.copyOf(families);
    delegated = List.copyOf(delegated);
  }

  public static KnownKeys of(Collection<String> fixed, String docs) {
    return new KnownKeys(Set.copyOf(fixed), List.of(), List.of(), docs);
  }

  public KnownKeys withFamily(String prefix, Set<String> suffixes) {
    List<Family> more = new ArrayList<>(families);
    more.add(new Family(prefix, suffixes));
    return new KnownKeys(fixed, more, delegated, docs);
  }

  /** Also accepts every key that starts with {@code prefix}; its owner checks them. */
  public KnownKeys withDelegated(String prefix) {
    List<String> more = new ArrayList<>(delegated);
    more.add(prefix);
    return new KnownKeys(fixed, families, more, docs);
  }

  public boolean contains(String key) {
    return fixed.contains(key) || families.stream().anyMatch(f -> f.contains(key))
        || delegated.stream().anyMatch(key::startsWith);
  }

  /** The refusal of an unknown {@code key} found at {@code where}. */
  ConfigException unknown(String where, String key) {
    List<String> candidates = new ArrayList<>(fixed);
    for (Family f : families) {
      f.nameOf(key).ifPresent(name -> f.suffixes().forEach(s -> candidates.add(f.prefix() + name + "." + s)));
    }
    String suggestion = Suggestions.closest(key, candidates).map(s -> "; did you mean '" + s + "'?")
        .orElse("; see " + docs + " for the known keys");
    return new ConfigException(ConfigException.Kind.INVALID, where + ": unknown key '" + key + "'" + suggestion);
  }
}
