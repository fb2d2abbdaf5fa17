package dev.holdfast.bench.enrollment;

import java.util.HashMap;
import java.util.Map;

/** {@code --name N} pairs over defaults; an unknown name or a number out of range stops the run. */
final class Options {
  private final Map<String, Integer> values;

  Options(String[] args, Map<String, Integer> defaults) {
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
      if (v < 0 || v > 100_000) {
        throw new IllegalArgumentException("--" + name + " must be 0..100000, got " + v);
      }
      values.put(name, v);
    }
  }

  int get(String name) {
    return values.get(name);
  }
}
