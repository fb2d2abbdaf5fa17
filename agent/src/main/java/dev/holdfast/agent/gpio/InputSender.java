package dev.holdfast.agent.gpio;

import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxException;
import dev.holdfast.agent.outbox.RecordId;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Queues each firing's message in the outbox. The enqueue (a durable commit) runs on its own
 * executor, so a slow SD card never delays the debounce timers or the LED.
 */
public final class InputSender implements Consumer<Firing> {
  /** What {@code {device}} shows before the device is enrolled. */
  public static final String UNENROLLED = "unenrolled";

  private final Outbox outbox;
  private final Supplier<String> deviceId;
  private final Executor executor;

  /**
   * @param deviceId the enrolled device's id, or {@link #UNENROLLED}
   * @param executor one thread, so messages are queued in the order of their edges
   */
  public InputSender(Outbox outbox, Supplier<String> deviceId, Executor executor) {
    this.outbox = outbox;
    this.deviceId = deviceId;
    this.executor = executor;
  }

  @Override
  public void accept(Firing firing) {
    NewMessage message = InputMessages.render(firing, deviceId.get());
    try {
      executor.execute(() -> {
        try {
          queue(firing, message);
        } catch (OutboxException e) {
          // logged by queue
        }
      });
    } catch (RejectedExecutionException e) {
      Logger.warn("gpio input {}: {} edge at {} not queued: the agent is stopping", firing.input().name(),
          firing.edge().wireName(), firing.time());
    }
  }

  /** Queues the firing's message now (for {@code gpio test}); returns its record id. */
  public RecordId queue(Firing firing) throws OutboxException {
    return queue(firing, InputMessages.render(firing, deviceId.get()));
  }

  private RecordId queue(Firing firing, NewMessage message) throws OutboxException {
    String what = firing.repeat() == 0 ? firing.edge().wireName() + " edge"
        : "repeat " + firing.repeat() + " (" + firing.edge().wireName() + " held)";
    try {
      RecordId id = outbox.enqueue(message);
      Logger.info("gpio input {}: {} on GPIO {} queued as {} ({})", firing.input().name(), what,
          firing.input().pin(), id, firing.input().channel());
      return id;
    } catch (OutboxException e) {
      if (e.reason() == OutboxException.Reason.CONFLICT) {
        Logger.info("gpio input {}: {} not queued: its idempotency key is already queued with another body "
            + "(a second firing inside the key's window)", firing.input().name(), what);
      } else {
        Logger.error("gpio input {}: {} on GPIO {} NOT queued: {}", firing.input().name(), what,
            firing.input().pin(), e.getMessage());
      }
      throw e;
    }
  }
}
