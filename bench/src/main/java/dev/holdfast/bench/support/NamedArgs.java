package dev.holdfast.bench.support;

import java.util.HashMap;
import java.util.Map;

/** {@code --name N} pairs over defaults; an unknown name or a number out of range stops the run. */
public final class NamedArgs {
  private final Map<String, Integer> values;

  /** @param min the smallest value any option takes (0 where "0" means "skip this part") */
  public NamedArgs(String[] args, Map<String, Integer> defaults, int min) {
    values = new HashMap<>(defaults);
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].replaceFirst("^--", "");
      if (!values.containsKey(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown or incomplete option " + args[i] + "; known: " + defaults.keySet());
      }
      int v;
      try {
        v = Integer.parseInt(args[i + 1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " takes a whole number, got '" + args[i + 1] + "'");
      }
      if (v < min || v > 1_000_000) {
        throw new IllegalArgumentException("--" + name + " must be " + min + "..1000000, got " + v);
      }
      values.put(name, v);
    }
  }

  public int get(String name) {
    return values.get(name);
  }
}
