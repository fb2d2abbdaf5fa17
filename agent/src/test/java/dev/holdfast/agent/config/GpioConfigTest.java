package dev.holdfast.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gpio.* keys: a family of keys per input, each error naming its line and what is allowed. */
class GpioConfigTest {
  @TempDir Path dir;

  private GpioSettings load(String content) throws Exception {
    Path file = dir.resolve("agent.conf");
    Files.writeString(file, content);
    return ConfigLoader.load(Optional.of(file), Map.of()).gpio();
  }

  private String error(String content) {
    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> load(content));
    assertThat(e).isInstanceOf(ConfigException.class);
    return e.getMessage();
  }

  @Test
  void noGpioByDefault() throws Exception {
    GpioSettings gpio = load("log.level = info\n");
    assertThat(gpio.configured()).isFalse();
    assertThat(gpio.pins()).isEmpty();
  }

  @Test
  void anInputTakesItsDefaultsAndTheLedItsPin() throws Exception {
    GpioSettings gpio = load("""
        gpio.input.door.pin = 17
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        gpio.input.float.pin = 27
        gpio.input.float.pull = down
        gpio.input.float.edge = rising
        gpio.input.float.debounce = 200ms
        gpio.input.float.repeat = 10m
        gpio.input.float.channel = webhook
        gpio.input.float.to = https://example.com/hook
        gpio.input.float.content-type = application/vnd.float+json
        gpio.input.float.body = {"level":"high","at":"{time}"}
        gpio.input.float.idempotency-key = float-{window}
        gpio.led.pin = 18
        gpio.led.active = low
        """);
    GpioInput door = gpio.input("door").orElseThrow();
    assertThat(door.pull()).isEqualTo(GpioSettings.Pull.UP);
    assertThat(door.edge()).isEqualTo(GpioSettings.Edge.FALLING);
    assertThat(door.debounce()).isEqualTo(Duration.ofMillis(50));
    assertThat(door.repeat()).isEmpty();
    assertThat(door.body().text()).isEqualTo(GpioInput.DEFAULT_SMS_BODY);
    assertThat(door.idempotencyKey()).isEmpty();
    GpioInput flt = gpio.input("float").orElseThrow();
    assertThat(flt.repeat()).contains(Duration.ofMinutes(10));
    assertThat(flt.contentType()).isEqualTo("application/vnd.float+json");
    assertThat(flt.body().text()).isEqualTo("{\"level\":\"high\",\"at\":\"{time}\"}");
    assertThat(gpio.led().orElseThrow().activeHigh()).isFalse();
    assertThat(gpio.led().orElseThrow().expiryWarning()).isEqualTo(Duration.ofDays(7));
    assertThat(gpio.pins()).extracting(GpioSettings.PinUse::toString)
        .containsExactly("gpio.input.door.pin = 17", "gpio.input.float.pin = 27", "gpio.led.pin = 18");
  }

  @Test
  void twoUsesOfOnePinAreRefusedNamingBoth() {
    assertThat(error("""
        gpio.input.door.pin = 17
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        gpio.led.pin = 17
        """)).isEqualTo(dir.resolve("agent.conf") + " line 4: gpio.led.pin = 17 is already used by "
            + "gpio.input.door.pin; a pin can have one use");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      gpio.input.door.debonce = 5ms | line 1: unknown key 'gpio.input.door.debonce'; did you mean 'gpio.input.door.debounce'?
      gpio.led.pn = 4 | line 1: unknown key 'gpio.led.pn'; did you mean 'gpio.led.pin'?
      gpio.input.door.pin = 60 | line 1: gpio.input.door.pin = '60' is not allowed; it must be a GPIO number (BCM numbering, as in 'GPIO17') from 0 to 53
      gpio.input.door.edge = down | line 1: gpio.input.door.edge = 'down' is not allowed; it must be one of rising, falling, both
      gpio.input.door.body = {nmae} pressed | line 1: gpio.input.door.body = '{nmae} pressed' is not allowed; it must be a text whose placeholders are among [{device}, {edge}, {name}, {pin}, {repeat}, {time}, {window}] (found {nmae})
      gpio.input.door.idempotency-key = door {time} | line 1: gpio.input.door.idempotency-key = 'door {time}' is not allowed; it must be printable ASCII without spaces around its placeholders
      gpio.input.my.door.pin = 3 | line 1: unknown key 'gpio.input.my.door.pin'
      gpio.input.door.pin = 17 | line 1: input 'door' has no gpio.input.door.channel; an input needs pin, channel and to (docs/gpio.md)
      gpio.led.red = 5 | line 1: the status LED needs gpio.led.pin (one LED), or all three of gpio.led.red, gpio.led.green and gpio.led.blue (an RGB LED), not part of them
      """)
  void eachMistakeIsNamedOnItsLine(String line, String expected) {
    assertThat(error(line + "\n")).startsWith(dir.resolve("agent.conf") + " ").contains(expected);
  }

  @Test
  void repeatNeedsARisingOrFallingEdgeAndSmsHasNoContentType() {
    assertThat(error("""
        gpio.input.door.pin = 17
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        gpio.input.door.edge = both
        gpio.input.door.repeat = 1m
        """)).endsWith("gpio.input.door.repeat needs gpio.input.door.edge = rising or falling: with both, every "
            + "level is 'held'");
    assertThat(error("""
        gpio.input.door.pin = 17
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        gpio.input.door.content-type = text/plain
        """)).endsWith("line 4: gpio.input.door.content-type applies to webhook and mqtt inputs only (an SMS is text)");
  }

  @Test
  void aGpioKeyGivenTwiceIsRefused() {
    assertThat(error("gpio.led.pin = 18\ngpio.led.pin = 19\n"))
        .endsWith("line 2: 'gpio.led.pin' is already set on line 1; keep one of them");
  }

  @Test
  void aTemplateKeepsLiteralBracesAndRendersItsPlaceholders() {
    MessageTemplate t = MessageTemplate.parse("{\"pin\":{pin},\"edge\":\"{edge}\"}", GpioInput.PLACEHOLDERS);
    assertThat(t.render(Map.of("pin", "17", "edge", "falling"))).isEqualTo("{\"pin\":17,\"edge\":\"falling\"}");
    assertThat(t.literals()).isEqualTo("{\"pin\":,\"edge\":\"\"}");
  }
}
