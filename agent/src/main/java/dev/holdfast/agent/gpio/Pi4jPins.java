package dev.holdfast.agent.gpio;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.definition.BoardModel;
import com.pi4j.boardinfo.definition.HeaderPins;
import com.pi4j.boardinfo.model.HeaderPin;
import com.pi4j.boardinfo.util.BoardInfoHelper;
import com.pi4j.context.Context;
import com.pi4j.io.exception.IOAlreadyExistsException;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputProvider;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import dev.holdfast.agent.config.GpioSettings;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The pins through Pi4J v2: on a Raspberry Pi its gpiod provider (the kernel's GPIO character
 * device; docs/decisions.md says why not linuxfs), in tests its mock provider. The only class of
 * the agent that refers to Pi4J, so the JVM loads none of Pi4J until a pin is configured.
 *
 * <p>Pi4J's own debounce is set to 0: the agent debounces on its own scheduler ({@link
 * InputMonitor}), the same way on every provider, testably.
 */
public final class Pi4jPins implements Pins {
  private final Context pi4j;
  private final Board board;
  private final String inputProvider;
  private final String outputProvider;

  /**
   * @param pi4j a context that has {@code inputProvider} and {@code outputProvider}
   * @param board what the board brings out
   */
  public Pi4jPins(Context pi4j, Board board, String inputProvider, String outputProvider) {
    this.pi4j = pi4j;
    this.board = board;
    this.inputProvider = inputProvider;
    this.outputProvider = outputProvider;
  }

  /** This Raspberry Pi's pins through the gpiod provider. */
  static Pins gpiod(java.util.List<GpioSettings.PinUse> uses) throws GpioException {
    BoardModel model = BoardInfoHelper.current().getBoardModel();
    if (model == BoardModel.UNKNOWN) {
      throw new GpioException(GpioException.Reason.UNSUPPORTED_BOARD, SystemGpio.named(uses)
          + ": this board is not a Raspberry Pi that Pi4J knows (no known revision code in /proc/cpuinfo); "
          + "remove the gpio.* settings here");
    }
    try {
      Context context = Pi4J.newContextBuilder()
          .add(GpioDDigitalInputProvider.newInstance(), GpioDDigitalOutputProvider.newInstance())
          .build();
      return new Pi4jPins(context, boardOf(model), "gpiod-digital-input", "gpiod-digital-output");
    } catch (RuntimeException | LinkageError e) {
      throw new GpioException(GpioException.Reason.FAILED, SystemGpio.named(uses)
          + ": Pi4J's gpiod provider could not start: " + e.getMessage(), e);
    }
  }

  /** The GPIOs on a board's headers, from Pi4J's board table. */
  public static Board boardOf(BoardModel model) {
    Map<Integer, Integer> pins = new TreeMap<>();
    for (HeaderPins header : model.getHeaderVersion().getHeaderPins()) {
      for (HeaderPin pin : header.getPins()) {
        if (pin.getBcmNumber() != null) {
          pins.putIfAbsent(pin.getBcmNumber(), pin.getPinNumber());
        }
      }
    }
    return Board.of(model.getLabel(), pins);
  }

  @Override
  public Board board() {
    return board;
  }

  @Override
  public InputPin input(GpioSettings.PinUse use, GpioSettings.Pull pull) throws GpioException {
    requireOnBoard(use);
    DigitalInputProvider provider = pi4j.provider(inputProvider, DigitalInputProvider.class);
    DigitalInput input;
    try {
      input = provider.create(DigitalInput.newConfigBuilder(pi4j).id(id(use)).name(use.setting())
          .address(use.gpio()).pull(switch (pull) {
            case UP -> PullResistance.PULL_UP;
            case DOWN -> PullResistance.PULL_DOWN;
            case OFF -> PullResistance.OFF;
          }).debounce(0L).provider(inputProvider).build());
    } catch (RuntimeException e) {
      throw claimFailed(use, e);
    }
    return new InputPin() {
      @Override
      public boolean high() {
        return input.state() == DigitalState.HIGH;
      }

      @Override
      public void onChange(Consumer<Boolean> listener) {
        input.addListener(event -> listener.accept(event.state() == DigitalState.HIGH));
      }
    };
  }

  @Override
  public OutputPin output(GpioSettings.PinUse use, boolean restHigh) throws GpioException {
    requireOnBoard(use);
    DigitalOutputProvider provider = pi4j.provider(outputProvider, DigitalOutputProvider.class);
    DigitalState rest = restHigh ? DigitalState.HIGH : DigitalState.LOW;
    DigitalOutput output;
    try {
      output = provider.create(DigitalOutput.newConfigBuilder(pi4j).id(id(use)).name(use.setting())
          .address(use.gpio()).initial(rest).shutdown(rest).provider(outputProvider)
          .build());
    } catch (RuntimeException e) {
      throw claimFailed(use, e);
    }
    return high -> output.state(high ? DigitalState.HIGH : DigitalState.LOW);
  }

  /** The Pi4J id of a pin: the setting's name, which is unique and says what the pin is for. */
  public static String id(GpioSettings.PinUse use) {
    return use.setting().replace('.', '-');
  }

  private void requireOnBoard(GpioSettings.PinUse use) throws GpioException {
    if (!board.has(use.gpio())) {
      throw new GpioException(GpioException.Reason.NO_SUCH_PIN, use + ": the " + board.name() + " has no GPIO "
          + use.gpio() + " on its header (it has " + board.gpios() + "); use the GPIO (BCM) number, not the "
          + "header pin number");
    }
  }

  private static GpioException claimFailed(GpioSettings.PinUse use, RuntimeException e) {
    String causes = causes(e);
    String lower = causes.toLowerCase(Locale.ROOT);
    if (e instanceof IOAlreadyExistsException || lower.contains("busy")) {
      return new GpioException(GpioException.Reason.PIN_BUSY, use + ": GPIO " + use.gpio()
          + " is held by another process (" + causes + "); see who holds it with 'gpioinfo' (Debian package gpiod) "
          + "and stop it, or wire to another pin", e);
    }
    if (lower.contains("permission denied")) {
      return new GpioException(GpioException.Reason.NO_PERMISSION, use + ": no permission to claim GPIO "
          + use.gpio() + " (" + causes + "); run the agent in the 'gpio' group (docs/gpio.md)", e);
    }
    return new GpioException(GpioException.Reason.FAILED, use + ": could not claim GPIO " + use.gpio() + ": "
        + causes, e);
  }

  private static String causes(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && out.indexOf(t.getMessage()) < 0) {
        out.append(out.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    try {
      pi4j.shutdown();
    } catch (RuntimeException e) {
      Logger.warn("releasing the GPIO pins: {}", e.getMessage());
    }
  }
}
