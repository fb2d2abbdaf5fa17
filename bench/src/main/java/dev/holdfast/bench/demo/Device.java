package dev.holdfast.bench.demo;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.Producer;
import dev.holdfast.protocol.json.JsonParser;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One enrolled device of the story: its agent process, its id and the number it texts. */
record Device(String name, AgentProcess agent, String id, String number) {

  /** Queues an SMS through the local API (what a program on the device does); true once it is durable. */
  boolean queueSms(String to, String body) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("op", "send");
    r.put("channel", "sms");
    r.put("to", to);
    r.put("body", body);
    try (Producer p = new Producer(agent.socket())) {
      return p.send(r) == Producer.Outcome.ACKED;
    }
  }

  /** {@code holdfast-agent status --json}, parsed. */
  Map<String, Object> statusJson() throws IOException, InterruptedException {
    AgentProcess.Result r = agent.run("status", "--json");
    if (r.code() != 0 && r.code() != 1) { // 1: not running or unhealthy, and the JSON says which
      throw new IllegalStateException(name + ": status --json exited " + r.code() + ": " + r.out().strip());
    }
    try {
      return JsonParser.parseObject(r.out().strip());
    } catch (JsonParser.JsonException e) {
      throw new IllegalStateException(name + ": status --json printed no JSON: " + e.getMessage(), e);
    }
  }

  /** Records queued, from the running agent's socket (cheap enough to poll); empty if it does not answer. */
  Optional<Long> queuedNow() {
    return Producer.ask(agent.socket(), Map.of("op", "status"))
        .map(r -> r.get("status"))
        .filter(Map.class::isInstance)
        .map(s -> ((Map<?, ?>) s).get("queued"))
        .filter(Number.class::isInstance)
        .map(n -> ((Number) n).longValue());
  }

  /** Whether the running agent says its link to the broker is up. */
  boolean connected() {
    try {
      Object link = statusJson().get("link");
      return link instanceof Map<?, ?> m && "CONNECTED".equals(m.get("state"));
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static long queued(Map<String, Object> status) {
    return ((Number) status.get("queued")).longValue();
  }
}
