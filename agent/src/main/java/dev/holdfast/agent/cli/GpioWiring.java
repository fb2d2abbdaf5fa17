package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.config.GpioInput;
import dev.holdfast.agent.config.GpioSettings;
import dev.holdfast.agent.gpio.AgentView;
import dev.holdfast.agent.gpio.Firing;
import dev.holdfast.agent.gpio.Gpio;
import dev.holdfast.agent.gpio.GpioException;
import dev.holdfast.agent.gpio.GpioHardware;
import dev.holdfast.agent.gpio.InputMessages;
import dev.holdfast.agent.gpio.InputSender;
import dev.holdfast.agent.link.LinkState;
import dev.holdfast.agent.link.MqttLink;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.agent.local.LocalError;
import dev.holdfast.agent.outbox.ChannelStats;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxException;
import dev.holdfast.agent.outbox.OutboxStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * GPIO in the running agent (docs/gpio.md): claims the pins before the vault opens (a wrong pin
 * stops the agent before it touches anything), shows "starting" on the LED, and once the runtime
 * is up feeds the LED from the real outbox, link and identity, and the inputs into the outbox.
 * With no {@code gpio.*} setting it does nothing and loads none of Pi4J.
 */
final class GpioWiring implements AutoCloseable {
  /**
   * Rotation is not built yet: its state machine will supply whether a rotation is under way
   * (docs/design.md "Rotation"); until then nothing rotates.
   */
  static final BooleanSupplier NO_ROTATION = () -> false;

  private final AgentConfig config;
  private final Optional<Gpio> gpio;
  private final Clock clock;
  private volatile AgentView.Phase phase = AgentView.Phase.STARTING;
  private volatile Running running;
  private ExecutorService sending;

  /** What the view reads once the runtime is up. */
  private record Running(Outbox outbox, Optional<MqttLink> link, Optional<Instant> certificateNotAfter,
      Optional<Instant> apiKeyExpires, BooleanSupplier rotating, InputSender sender) {}

  private GpioWiring(AgentConfig config, Optional<Gpio> gpio, Clock clock) {
    this.config = config;
    this.gpio = gpio;
    this.clock = clock;
  }

  /** Claims the configured pins and starts the LED on "starting"; nothing when none is configured. */
  static GpioWiring start(AgentConfig config, GpioHardware hardware, Clock clock) throws GpioException {
    GpioSettings settings = config.gpio();
    if (!settings.configured()) {
      return new GpioWiring(config, Optional.empty(), clock);
    }
    for (GpioInput input : settings.inputs()) {
      InputMessages.check(input, config.outbox().maxBodyBytes());
    }
    Gpio gpio = Gpio.open(settings, hardware, true, thread(), clock);
    GpioWiring wiring = new GpioWiring(config, Optional.of(gpio), clock);
    gpio.showStatus(wiring::view);
    return wiring;
  }

  /** The GPIO thread: debounce timers, repeats and the LED's steps. */
  static ScheduledExecutorService thread() {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gpio");
      t.setDaemon(true);
      return t;
    });
  }

  /** The runtime is up: the LED follows it, the inputs queue messages. */
  void running(Outbox outbox, Optional<MqttLink> link, Optional<String> deviceId,
      Optional<Instant> certificateNotAfter, Optional<Instant> apiKeyExpires, BooleanSupplier rotating) {
    if (gpio.isEmpty()) {
      return;
    }
    sending = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "gpio-send");
      t.setDaemon(true);
      return t;
    });
    InputSender sender = new InputSender(outbox, () -> deviceId.orElse(InputSender.UNENROLLED), sending);
    running = new Running(outbox, link, certificateNotAfter, apiKeyExpires, rotating, sender);
    phase = AgentView.Phase.RUNNING;
    gpio.get().listen(sender);
  }

  /**
   * The vault could not be opened: the LED shows it for {@code gpio.led.fault-hold} before the
   * agent exits (so a technician sees why it stopped), then the pins are released.
   */
  void vaultFailed() {
    if (gpio.isEmpty()) {
      return;
    }
    phase = AgentView.Phase.VAULT_ERROR;
    Duration hold = config.gpio().led().map(l -> l.faultHold()).orElse(Duration.ZERO);
    if (config.gpio().led().isPresent() && !hold.isZero()) {
      try {
        Thread.sleep(hold.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    close();
  }

  /** What the LED shows now (empty without one). */
  Optional<dev.holdfast.agent.gpio.LedState> ledState() {
    return gpio.flatMap(Gpio::ledState);
  }

  /** The agent's state as the LED sees it, read from the outbox, the link and the identity. */
  AgentView view() {
    Running r = running;
    if (phase != AgentView.Phase.RUNNING || r == null) {
      return phase == AgentView.Phase.VAULT_ERROR ? AgentView.vaultError() : AgentView.starting();
    }
    OutboxStatus status = r.outbox().status();
    Instant now = clock.instant();
    boolean rejected = status.channels().values().stream().anyMatch(c -> c.heldAt(now));
    boolean failing = status.channels().values().stream().anyMatch(GpioWiring::failing);
    AgentView.Link link = r.link().map(l -> l.state() == LinkState.CONNECTED ? AgentView.Link.CONNECTED
        : AgentView.Link.DOWN).orElse(AgentView.Link.NONE);
    return new AgentView(AgentView.Phase.RUNNING, link, status.queued(), failing, rejected, r.certificateNotAfter(),
        r.apiKeyExpires(), r.outbox().storageFailing(), r.rotating().getAsBoolean());
  }

  /** A channel whose last attempt failed after its last delivery. */
  private static boolean failing(ChannelStats c) {
    return c.lastErrorAt().isPresent()
        && (c.lastDelivery().isEmpty() || c.lastErrorAt().get().isAfter(c.lastDelivery().get()));
  }

  /** The local API's {@code gpio-list} and {@code gpio-test} (docs/local-api.md). */
  Map<String, Function<Map<String, Object>, Map<String, Object>>> localOps() {
    if (gpio.isEmpty()) {
      return Map.of();
    }
    return Map.of(
        "gpio-list", request -> LocalApiHandler.ok("pins", gpio.get().list()),
        "gpio-test", request -> test(config.gpio(), running == null ? null : running.sender(), clock, request));
  }

  /** {@code gpio-test}: queues the named input's message once, as if its edge had happened now. */
  static Map<String, Object> test(GpioSettings settings, InputSender sender, Clock clock, Map<String, Object> request) {
    Object which = request.get("input");
    if (!(which instanceof String name)) {
      return LocalApiHandler.error(LocalError.BAD_REQUEST, "missing \"input\": an input's name or GPIO number");
    }
    Optional<GpioInput> input = settings.input(name).or(() -> settings.inputs().stream()
        .filter(i -> Integer.toString(i.pin()).equals(name)).findFirst());
    if (input.isEmpty()) {
      return LocalApiHandler.error(LocalError.NOT_FOUND, "no GPIO input '" + name + "'; configured: "
          + (settings.inputs().isEmpty() ? "none" : String.join(", ", settings.inputs().stream()
              .map(i -> i.name() + " (GPIO " + i.pin() + ")").toList())) + " (see 'holdfast-agent gpio list')");
    }
    if (sender == null) {
      return LocalApiHandler.error(LocalError.CLOSED, "the agent is still starting; try again shortly");
    }
    GpioInput i = input.get();
    Firing firing = new Firing(i, i.edge() == GpioSettings.Edge.RISING ? GpioSettings.Edge.RISING
        : GpioSettings.Edge.FALLING, clock.instant(), 0);
    try {
      Map<String, Object> out = LocalApiHandler.ok("id", sender.queue(firing).toString());
      out.put("input", i.name());
      return out;
    } catch (OutboxException e) {
      return LocalApiHandler.error(LocalError.of(e.reason()), e.getMessage());
    }
  }

  /** Stops the inputs and the LED (off), lets queued firings finish, releases the pins. */
  @Override
  public void close() {
    gpio.ifPresent(Gpio::close);
    if (sending != null) {
      sending.shutdown();
      try {
        if (!sending.awaitTermination(10, TimeUnit.SECONDS)) {
          Logger.warn("gpio: messages still being queued after 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
