package dev.holdfast.agent.service;

import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.Sender;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivery attempts by channel and outcome since the agent started, for {@code status} and the
 * Prometheus textfile (counters that restart at zero with the agent, as Prometheus expects). The
 * outbox keeps the durable totals (delivered); this counts what it does not: failed attempts.
 */
public final class Attempts {
  /** The outcome kinds, as they appear in JSON and in metric labels. */
  public static final String[] KINDS = {"delivered", "retry", "permanent", "credentials_rejected"};

  private final Map<Channel, LongAdder[]> counts = new EnumMap<>(Channel.class);

  public Attempts() {
    for (Channel c : Channel.values()) {
      LongAdder[] byKind = new LongAdder[KINDS.length];
      for (int i = 0; i < byKind.length; i++) {
        byKind[i] = new LongAdder();
      }
      counts.put(c, byKind);
    }
  }

  /** {@code sender}, counting each attempt's outcome under {@code channel}. */
  public Sender counting(Channel channel, Sender sender) {
    LongAdder[] byKind = counts.get(channel);
    return record -> {
      DeliveryOutcome outcome = sender.send(record);
      byKind[kind(outcome)].increment();
      return outcome;
    };
  }

  private static int kind(DeliveryOutcome outcome) {
    if (outcome instanceof DeliveryOutcome.Delivered) {
      return 0;
    }
    if (outcome instanceof DeliveryOutcome.Retry) {
      return 1;
    }
    return outcome instanceof DeliveryOutcome.Permanent ? 2 : 3;
  }

  /** {@code {"sms":{"delivered":3,"retry":1,...},...}} */
  public Map<String, Object> json() {
    Map<String, Object> out = new LinkedHashMap<>();
    counts.forEach((channel, byKind) -> {
      Map<String, Object> one = new LinkedHashMap<>();
      for (int i = 0; i < KINDS.length; i++) {
        one.put(KINDS[i], byKind[i].sum());
      }
      out.put(channel.wireName(), one);
    });
    return out;
  }
}
