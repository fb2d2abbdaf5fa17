package dev.holdfast.agent.gpio;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A board and the GPIOs it brings out.
 *
 * @param name such as "Raspberry Pi 4 Model B"
 * @param headerPins GPIO (BCM) number to the physical header pin it is on
 */
public record Board(String name, SortedMap<Integer, Integer> headerPins) {
  public Board {
    headerPins = new TreeMap<>(headerPins);
  }

  public static Board of(String name, Map<Integer, Integer> headerPins) {
    return new Board(name, new TreeMap<>(headerPins));
  }

  public boolean has(int gpio) {
    return headerPins.containsKey(gpio);
  }

  public Optional<Integer> headerPin(int gpio) {
    return Optional.ofNullable(headerPins.get(gpio));
  }

  /** "GPIO 0-27", or the list when it has gaps. */
  public String gpios() {
    if (headerPins.isEmpty()) {
      return "no GPIO";
    }
    int first = headerPins.firstKey();
    int last = headerPins.lastKey();
    if (last - first + 1 == headerPins.size()) {
      return "GPIO " + first + "-" + last;
    }
    return "GPIO " + String.join(", ", headerPins.keySet().stream().map(String::valueOf).toList());
  }
}
