package dev.holdfast.agent.testing;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.definition.BoardModel;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.Mock;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalInputProvider;
import dev.holdfast.agent.config.GpioSettings;
import dev.holdfast.agent.gpio.Board;
import dev.holdfast.agent.gpio.GpioException;
import dev.holdfast.agent.gpio.GpioHardware;
import dev.holdfast.agent.gpio.Pi4jPins;
import dev.holdfast.agent.gpio.Pins;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pi4J's mock provider standing in for a Raspberry Pi 4's pins (and only the pins: everything
 * after them is the agent's real code). The test sets input levels as a switch would and reads
 * what the agent drove on its outputs.
 */
public final class MockGpio {
  /** A level the agent drove on an output, and when (by the wall clock: for ordering only). */
  public record Drive(String id, boolean high, Instant at) {}

  private final Context pi4j;
  private final List<Drive> drives = new CopyOnWriteArrayList<>();

  private MockGpio(Context pi4j) {
    this.pi4j = pi4j;
  }

  public static MockGpio raspberryPi4() {
    return new MockGpio(Pi4J.newContextBuilder()
        .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance()).build());
  }

  /** The board as the agent opens it; every level an output is driven to is recorded from Pi4J's events. */
  public GpioHardware hardware() {
    return uses -> {
      Pins pins = new Pi4jPins(pi4j, Pi4jPins.boardOf(BoardModel.MODEL_4_B), Mock.DIGITAL_INPUT_PROVIDER_ID,
          Mock.DIGITAL_OUTPUT_PROVIDER_ID);
      return new Pins() {
        @Override
        public Board board() {
          return pins.board();
        }

        @Override
        public InputPin input(GpioSettings.PinUse use, GpioSettings.Pull pull) throws GpioException {
          return pins.input(use, pull);
        }

        @Override
        public OutputPin output(GpioSettings.PinUse use, boolean restHigh) throws GpioException {
          OutputPin pin = pins.output(use, restHigh);
          String id = Pi4jPins.id(use);
          pi4j.registry().get(id, DigitalOutput.class).addListener(
              e -> drives.add(new Drive(id, e.state() == DigitalState.HIGH, Instant.now())));
          return pin;
        }

        @Override
        public void close() {
          pins.close();
        }
      };
    };
  }

  /** Sets the input claimed for {@code setting} (such as gpio.input.door.pin) to a level. */
  public void set(String setting, boolean high) {
    MockDigitalInput input = pi4j.registry().get(setting.replace('.', '-'), MockDigitalInput.class);
    input.mockState(high ? DigitalState.HIGH : DigitalState.LOW);
  }

  /** Claims {@code gpio} as another user would, so the agent finds it held. */
  public void holdElsewhere(int gpio) {
    pi4j.provider(Mock.DIGITAL_INPUT_PROVIDER_ID, DigitalInputProvider.class).create(
        DigitalInput.newConfigBuilder(pi4j).id("another-process").address(gpio)
            .provider(Mock.DIGITAL_INPUT_PROVIDER_ID).build());
  }

  /** What the agent drove the output of {@code setting} to, in order. */
  public List<Boolean> drivesOf(String setting) {
    String id = setting.replace('.', '-');
    return drives.stream().filter(d -> d.id().equals(id)).map(Drive::high).toList();
  }

  /** The level an output of the agent is at now. */
  public boolean isHigh(String setting) {
    return pi4j.registry().get(setting.replace('.', '-'), DigitalOutput.class).state() == DigitalState.HIGH;
  }
}
