package dev.holdfast.bench.demo;

import java.util.List;

/** How an operator watches the fleet's MQTT topics during {@code demo --keep}. */
final class OperatorView {
  private OperatorView() {}

  static List<String> describe(DemoStory story) {
    return List.of("the broker: " + story.fleet().broker().uri() + " (client certificates only; an operator"
        + " certificate is not part of this demo yet)");
  }
}
