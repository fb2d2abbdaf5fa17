package dev.holdfast.bench.demo;

import dev.holdfast.bench.fleet.FakeSmsProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each device was asked to send, per destination and in order, against what the SMS
 * provider received. A body starts with the sending device's id, so arrivals can be told apart.
 */
final class Ledger {
  private final Map<String, List<String>> sent = new LinkedHashMap<>();

  /** The body for message {@code n} of {@code device}: its id first, then the text. */
  static String body(String device, int n, String text) {
    return device + " #" + n + ": " + text;
  }

  synchronized void sent(String device, String to, String body) {
    sent.computeIfAbsent(key(device, to), k -> new ArrayList<>()).add(body);
  }

  synchronized int total() {
    return sent.values().stream().mapToInt(List::size).sum();
  }

  synchronized int destinations() {
    return sent.size();
  }

  /** The provider's arrivals grouped as the ledger is: per device and destination, in arrival order. */
  static Map<String, List<String>> arrivals(List<FakeSmsProvider.Sms> received) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (FakeSmsProvider.Sms sms : received) {
      String body = sms.body() == null ? "" : sms.body();
      int space = body.indexOf(' ');
      String device = space > 0 ? body.substring(0, space) : "(unknown)";
      out.computeIfAbsent(key(device, sms.to()), k -> new ArrayList<>()).add(body);
    }
    return out;
  }

  /**
   * Empty when every message arrived exactly once and in order per device and destination;
   * otherwise what differs, one line per device and destination.
   */
  synchronized List<String> differences(List<FakeSmsProvider.Sms> received) {
    Map<String, List<String>> got = arrivals(received);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : sent.entrySet()) {
      List<String> arrived = got.getOrDefault(e.getKey(), List.of());
      if (!arrived.equals(e.getValue())) {
        out.add(e.getKey() + ": sent " + e.getValue() + " but the provider received " + arrived);
      }
    }
    got.keySet().stream().filter(k -> !sent.containsKey(k))
        .forEach(k -> out.add(k + ": received " + got.get(k) + " that nobody sent"));
    return out;
  }

  private static String key(String device, String to) {
    return device + " -> " + to;
  }
}
