package dev.holdfast.agent.config;

import dev.holdfast.common.config.ConfigException;
import dev.holdfast.common.config.Suggestions;
import dev.holdfast.common.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code gpio.*} keys of the configuration file. Unlike the fixed {@link Setting}s they form
 * a family, {@code gpio.input.NAME.FIELD}, one group per input; each value is parsed on its line
 * (so an error names the line) and the groups are checked as a whole at the end.
 */
final class GpioKeys {
  private static final Pattern INPUT_KEY = Pattern.compile("gpio\\.input\\.([^.]*)\\.(.*)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern KEY_TEXT = Pattern.compile("[\\x21-\\x7e]*");

  /** The fields of one input, with their parsers. */
  enum InputField {
    PIN("pin", GpioKeys::gpio),
    PULL("pull", v -> Values.oneOf(v, GpioSettings.Pull.class)),
    EDGE("edge", v -> Values.oneOf(v, GpioSettings.Edge.class)),
    DEBOUNCE("debounce", Durations::parse),
    REPEAT("repeat", v -> v.equals("off") ? Optional.empty() : Optional.of(repeatDuration(v))),
    CHANNEL("channel", v -> Values.oneOf(v, Channel.class).name().toLowerCase(java.util.Locale.ROOT)),
    TO("to", v -> v),
    BODY("body", v -> MessageTemplate.parse(v, GpioInput.PLACEHOLDERS)),
    CONTENT_TYPE("content-type", GpioKeys::contentType),
    IDEMPOTENCY_KEY("idempotency-key", GpioKeys::keyTemplate);

    final String field;
    final Function<String, Object> parser;

    InputField(String field, Function<String, Object> parser) {
      this.field = field;
      this.parser = parser;
    }
  }

  /** The LED's keys, with their parsers. */
  enum LedField {
    PIN("pin", GpioKeys::gpio),
    RED("red", GpioKeys::gpio),
    GREEN("green", GpioKeys::gpio),
    BLUE("blue", GpioKeys::gpio),
    ACTIVE("active", v -> Values.oneOf(v, Level.class) == Level.HIGH),
    EXPIRY_WARNING("expiry-warning", Durations::parse),
    FAULT_HOLD("fault-hold", Durations::parse);

    final String field;
    final Function<String, Object> parser;

    LedField(String field, Function<String, Object> parser) {
      this.field = field;
      this.parser = parser;
    }

    String key() {
      return "gpio.led." + field;
    }
  }

  /** The message channels an input may use (the outbox's, by their wire names). */
  private enum Channel {
    SMS,
    WEBHOOK,
    MQTT
  }

  private enum Level {
    HIGH,
    LOW
  }

  /** A parsed value and where it was written. */
  private record Entry(Object value, String where) {}

  private final Map<String, Map<InputField, Entry>> inputs = new LinkedHashMap<>();
  private final Map<LedField, Entry> led = new LinkedHashMap<>();

  /** Every key of this family starts with it. */
  static final String PREFIX = "gpio.";

  static boolean owns(String key) {
    return key.startsWith(PREFIX);
  }

  /** Parses one line's value; {@code where} is "FILE line N". Duplicates are checked by the caller. */
  void put(String key, String value, String where) throws ConfigException {
    Matcher m = INPUT_KEY.matcher(key);
    if (m.matches()) {
      String name = m.group(1);
      InputField field = inputField(m.group(2)).orElseThrow(() -> unknown(where, key, name));
      if (!NAME.matcher(name).matches()) {
        throw new ConfigException(ConfigException.Kind.INVALID, where + ": '" + key + "': the input's name '" + name
            + "' must be 1 to 32 letters, digits, '_' or '-'");
      }
      inputs.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(field, parse(key, value, where, field.parser));
      return;
    }
    for (LedField f : LedField.values()) {
      if (f.key().equals(key)) {
        led.put(f, parse(key, value, where, f.parser));
        return;
      }
    }
    throw unknown(where, key, "NAME");
  }

  private static Optional<InputField> inputField(String field) {
    for (InputField f : InputField.values()) {
      if (f.field.equals(field)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private static Entry parse(String key, String value, String where, Function<String, Object> parser)
      throws ConfigException {
    try {
      return new Entry(parser.apply(value), where);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID,
          where + ": " + key + " = '" + value + "' is not allowed; it must be " + e.getMessage());
    }
  }

  private static ConfigException unknown(String where, String key, String name) {
    List<String> candidates = new ArrayList<>();
    for (InputField f : InputField.values()) {
      candidates.add(GpioInput.key(name, f.field));
    }
    for (LedField f : LedField.values()) {
      candidates.add(f.key());
    }
    String hint = Suggestions.closest(key, candidates).map(s -> "; did you mean '" + s + "'?")
        .orElse("; GPIO keys are gpio.input.NAME.{pin,pull,edge,debounce,repeat,channel,to,body,content-type,"
            + "idempotency-key} and gpio.led.{pin,red,green,blue,active,expiry-warning,fault-hold} (docs/gpio.md)");
    return new ConfigException(ConfigException.Kind.INVALID, where + ": unknown key '" + key + "'" + hint);
  }

  /** Checks the groups as a whole: required fields, one use per pin, an LED of one or three pins. */
  GpioSettings build() throws ConfigException {
    List<GpioInput> built = new ArrayList<>();
    Map<Integer, String> used = new LinkedHashMap<>();
    for (Map.Entry<String, Map<InputField, Entry>> e : inputs.entrySet()) {
      GpioInput input = input(e.getKey(), e.getValue());
      claim(used, input.pin(), GpioInput.key(input.name(), "pin"), e.getValue().get(InputField.PIN).where());
      built.add(input);
    }
    Optional<StatusLedSettings> statusLed = statusLed();
    if (statusLed.isPresent()) {
      for (GpioSettings.PinUse use : statusLed.get().pins()) {
        claim(used, use.gpio(), use.setting(), whereOf(use.setting()));
      }
    }
    return new GpioSettings(built, statusLed);
  }

  private String whereOf(String ledKey) {
    for (LedField f : LedField.values()) {
      if (f.key().equals(ledKey)) {
        return led.get(f).where();
      }
    }
    throw new IllegalStateException(ledKey);
  }

  private static void claim(Map<Integer, String> used, int gpio, String setting, String where) throws ConfigException {
    String earlier = used.putIfAbsent(gpio, setting);
    if (earlier != null) {
      throw new ConfigException(ConfigException.Kind.INVALID, where + ": " + setting + " = " + gpio
          + " is already used by " + earlier + "; a pin can have one use");
    }
  }

  @SuppressWarnings("unchecked")
  private static GpioInput input(String name, Map<InputField, Entry> fields) throws ConfigException {
    String where = fields.values().iterator().next().where();
    for (InputField required : List.of(InputField.PIN, InputField.CHANNEL, InputField.TO)) {
      if (!fields.containsKey(required)) {
        throw new ConfigException(ConfigException.Kind.INVALID, where + ": input '" + name + "' has no "
            + GpioInput.key(name, required.field) + "; an input needs pin, channel and to (docs/gpio.md)");
      }
    }
    String channel = (String) fields.get(InputField.CHANNEL).value();
    boolean sms = channel.equals("sms");
    if (sms && fields.containsKey(InputField.CONTENT_TYPE)) {
      throw new ConfigException(ConfigException.Kind.INVALID, fields.get(InputField.CONTENT_TYPE).where() + ": "
          + GpioInput.key(name, "content-type") + " applies to webhook and mqtt inputs only (an SMS is text)");
    }
    try {
      return new GpioInput(name,
          (Integer) fields.get(InputField.PIN).value(),
          value(fields, InputField.PULL, GpioSettings.Pull.UP),
          value(fields, InputField.EDGE, GpioSettings.Edge.FALLING),
          value(fields, InputField.DEBOUNCE, Duration.ofMillis(50)),
          value(fields, InputField.REPEAT, Optional.<Duration>empty()),
          channel,
          (String) fields.get(InputField.TO).value(),
          value(fields, InputField.BODY, MessageTemplate.parse(sms ? GpioInput.DEFAULT_SMS_BODY
              : GpioInput.DEFAULT_JSON_BODY, GpioInput.PLACEHOLDERS)),
          value(fields, InputField.CONTENT_TYPE, sms ? "text/plain; charset=utf-8" : "application/json"),
          Optional.ofNullable(fields.get(InputField.IDEMPOTENCY_KEY)).map(e -> (MessageTemplate) e.value()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, where + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T, F> T value(Map<F, Entry> fields, F field, T otherwise) {
    Entry e = fields.get(field);
    return e == null ? otherwise : (T) e.value();
  }

  private Optional<StatusLedSettings> statusLed() throws ConfigException {
    if (led.isEmpty()) {
      return Optional.empty();
    }
    String where = led.values().iterator().next().where();
    Set<LedField> rgb = new LinkedHashSet<>(List.of(LedField.RED, LedField.GREEN, LedField.BLUE));
    boolean single = led.containsKey(LedField.PIN);
    long colours = rgb.stream().filter(led::containsKey).count();
    if (single == (colours > 0) || (colours > 0 && colours < 3)) {
      throw new ConfigException(ConfigException.Kind.INVALID, where + ": the status LED needs gpio.led.pin (one LED), "
          + "or all three of gpio.led.red, gpio.led.green and gpio.led.blue (an RGB LED), not "
          + (single && colours > 0 ? "both" : "part of them"));
    }
    List<GpioSettings.PinUse> pins = new ArrayList<>();
    for (LedField f : single ? List.of(LedField.PIN) : List.copyOf(rgb)) {
      pins.add(new GpioSettings.PinUse((Integer) led.get(f).value(), f.key()));
    }
    try {
      return Optional.of(new StatusLedSettings(pins, value(led, LedField.ACTIVE, true),
          value(led, LedField.EXPIRY_WARNING, Duration.ofDays(7)), value(led, LedField.FAULT_HOLD,
              Duration.ofSeconds(10))));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, where + ": " + e.getMessage());
    }
  }

  private static Object gpio(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n <= 53) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("a GPIO number (BCM numbering, as in 'GPIO17') from 0 to 53");
  }

  private static Duration repeatDuration(String v) {
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'off' or a duration such as 30s or 5m");
    }
  }

  private static Object contentType(String v) {
    if (!v.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;\\s*[A-Za-z0-9_-]+=[A-Za-z0-9_.-]+)*")) {
      throw new IllegalArgumentException("a media type such as application/json or text/plain; charset=utf-8");
    }
    return v;
  }

  private static Object keyTemplate(String v) {
    MessageTemplate t = MessageTemplate.parse(v, GpioInput.PLACEHOLDERS);
    if (!KEY_TEXT.matcher(t.literals()).matches()) {
      throw new IllegalArgumentException("printable ASCII without spaces around its placeholders");
    }
    return t;
  }
}
