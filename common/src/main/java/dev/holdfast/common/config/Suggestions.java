package dev.holdfast.common.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean ...?" by edit distance. */
public final class Suggestions {
  private Suggestions() {}

  /** The closest candidate, if it is close enough to be a plausible typo. */
  public static Optional<String> closest(String input, Collection<String> candidates) {
    int limit = Math.max(2, input.length() / 3);
    return candidates.stream()
        .filter(c -> distance(input, c) <= limit)
        .min(Comparator.comparingInt(c -> distance(input, c)));
  }

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
