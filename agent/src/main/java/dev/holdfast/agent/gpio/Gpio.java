package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.GpioInput;
import dev.holdfast.agent.config.GpioSettings;
import dev.holdfast.agent.config.StatusLedSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * The configured pins, claimed: the inputs' monitors and the status LED, all on one scheduler
 * thread that this object owns and stops in {@link #close()}.
 */
public final class Gpio implements AutoCloseable {
  private final GpioSettings settings;
  private final Pins pins;
  private final Map<String, Pins.InputPin> inputs;
  private final List<Pins.OutputPin> ledPins;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private volatile StatusLed led;

  private Gpio(GpioSettings settings, Pins pins, Map<String, Pins.InputPin> inputs, List<Pins.OutputPin> ledPins,
      ScheduledExecutorService scheduler, Clock clock) {
    this.settings = settings;
    this.pins = pins;
    this.inputs = inputs;
    this.ledPins = ledPins;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /**
   * Opens the board and claims every configured input and, when {@code withLed}, the LED's pins
   * (driven off). Nothing listens or blinks yet.
   *
   * @param scheduler single-threaded; shut down by {@link #close()}
   */
  public static Gpio open(GpioSettings settings, GpioHardware hardware, boolean withLed,
      ScheduledExecutorService scheduler, Clock clock) throws GpioException {
    List<GpioSettings.PinUse> uses = new ArrayList<>();
    settings.pins().stream().filter(u -> withLed || !u.setting().startsWith("gpio.led.")).forEach(uses::add);
    Pins pins = hardware.open(uses);
    try {
      Map<String, Pins.InputPin> inputs = new LinkedHashMap<>();
      for (GpioInput input : settings.inputs()) {
        inputs.put(input.name(), pins.input(new GpioSettings.PinUse(input.pin(), GpioInput.key(input.name(), "pin")),
            input.pull()));
      }
      List<Pins.OutputPin> ledPins = new ArrayList<>();
      if (withLed && settings.led().isPresent()) {
        for (GpioSettings.PinUse use : settings.led().get().pins()) {
          ledPins.add(pins.output(use, !settings.led().get().activeHigh()));
        }
      }
      Logger.info("gpio: {} on the {}", SystemGpio.named(uses), pins.board().name());
      return new Gpio(settings, pins, inputs, ledPins, scheduler, clock);
    } catch (GpioException | RuntimeException e) {
      pins.close();
      scheduler.shutdownNow();
      throw e;
    }
  }

  /** Starts the status LED (if one is configured), showing what {@code view} says. */
  public void showStatus(Supplier<AgentView> view) {
    if (ledPins.isEmpty() || led != null) {
      return;
    }
    StatusLedSettings s = settings.led().orElseThrow();
    led = new StatusLed(ledPins, s.activeHigh(), view, s.expiryWarning(), scheduler, clock);
    led.start();
  }

  /** Starts watching the inputs; each firing goes to {@code sink} (on the GPIO thread). */
  public void listen(Consumer<Firing> sink) {
    for (GpioInput input : settings.inputs()) {
      new InputMonitor(input, inputs.get(input.name()), scheduler, clock, sink).start();
    }
  }

  /** What the LED shows now. */
  public Optional<LedState> ledState() {
    return led == null ? Optional.empty() : led.state();
  }

  /** Every configured pin with its use and level, for {@code gpio list}. */
  public List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    Board board = pins.board();
    for (GpioInput input : settings.inputs()) {
      Map<String, Object> row = row(board, input.pin(), "input", input.name());
      row.put("pull", input.pull().name().toLowerCase(Locale.ROOT));
      row.put("edge", input.edge().wireName());
      row.put("level", inputs.get(input.name()).high() ? "high" : "low");
      row.put("channel", input.channel());
      out.add(row);
    }
    settings.led().ifPresent(s -> {
      for (GpioSettings.PinUse use : s.pins()) {
        String colour = use.setting().substring("gpio.led.".length());
        Map<String, Object> row = row(board, use.gpio(), "led", colour.equals("pin") ? "led" : "led " + colour);
        row.put("showing", ledState().map(l -> l.condition().name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .orElse(ledPins.isEmpty() ? "not driven (the agent is not running)" : "off"));
        out.add(row);
      }
    });
    return out;
  }

  private static Map<String, Object> row(Board board, int gpio, String role, String name) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("role", role);
    row.put("gpio", gpio);
    row.put("header_pin", board.headerPin(gpio).orElse(null));
    return row;
  }

  /** Stops the monitors and the LED (turning it off) and releases the pins. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        Logger.warn("gpio: the GPIO thread did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (led != null) {
      led.close();
    }
    pins.close();
  }
}
