package dev.holdfast.bench.relay;

import java.util.HashMap;
import java.util.Map;

/** {@code --name N} pairs with defaults; an unknown name or a bad number stops the run. */
final class Args {
  private final Map<String, Integer> values;

  Args(String[] args, Map<String, Integer> defaults) {
    values = new HashMap<>(defaults);
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].replaceFirst("^--", "");
      if (!values.containsKey(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown or incomplete option " + args[i] + "; known: " + defaults.keySet());
      }
      int v = Integer.parseInt(args[i + 1]);
      if (v < 1 || v > 1_000_000) {
        throw new IllegalArgumentException("--" + name + " must be 1..1000000, got " + v);
      }
      values.put(name, v);
    }
  }

  int get(String name) {
    return values.get(name);
  }
}
