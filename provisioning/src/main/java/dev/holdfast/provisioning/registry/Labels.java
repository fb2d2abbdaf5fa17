package dev.holdfast.provisioning.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The labels that put devices into cohorts ({@code fleet rotate --label L}): each 1-63 of a-z,
 * 0-9, '.', '_', '-', '=' and ':', starting with a letter or digit (so {@code site=berlin} and
 * {@code pilot} both work), at most {@link #MAX} per device, kept sorted.
 */
public final class Labels {
  public static final int MAX = 16;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9._=:-]{0,62}");

  private Labels() {}

  /**
   * {@code labels} checked, as a sorted set.
   *
   * @throws IllegalArgumentException naming the first bad label and the rule, or the count
   */
  public static SortedSet<String> of(Collection<String> labels) {
    TreeSet<String> out = new TreeSet<>();
    for (String l : labels) {
      out.add(check(l));
    }
    if (out.size() > MAX) {
      throw new IllegalArgumentException("a device carries at most " + MAX + " labels, not " + out.size());
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /** @throws IllegalArgumentException naming {@code label} and the rule */
  public static String check(String label) {
    if (label == null || !LABEL.matcher(label).matches()) {
      throw new IllegalArgumentException("label '" + label + "' is not 1-63 of a-z, 0-9, '.', '_', '-', '=' and "
          + "':' starting with a letter or digit (e.g. pilot, site=berlin)");
    }
    return label;
  }
}
