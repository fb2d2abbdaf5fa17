package dev.holdfast.agent.outbox;

import java.util.Locale;

/**
 * How a record leaves the device. Stored by its {@link #code()}, never by its position in this
 * list: reordering or adding constants must not turn queued SMS into webhooks.
 */
public enum Channel {
  SMS(1),
  WEBHOOK(2),
  MQTT(3);

  private final int code;

  Channel(int code) {
    this.code = code;
  }

  /** The name used on the command line, in the local API and in JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The code that stands for this channel in stored records. */
  public int code() {
    return code;
  }

  public static Channel fromWire(String name) {
    for (Channel c : values()) {
      if (c.wireName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown channel '" + name + "' (sms, webhook, mqtt)");
  }

  /** The channel a stored code stands for. */
  public static Channel fromCode(int code) {
    for (Channel c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown channel code " + code);
  }
}
