package dev.holdfast.agent.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * The agent's side of {@code Type=notify}: READY=1 once it serves, then at every tick a liveness
 * probe of the parts that do the work; WATCHDOG=1 only when all of them answered, so systemd
 * restarts an agent whose dispatcher or link is hung; STATUS= with the line from {@code status}.
 * Ticks come every half watchdog interval, or every {@link #TICK} without a watchdog (the probe's
 * result also feeds {@code holdfast-agent status}).
 */
public final class ServiceWatch implements AutoCloseable {
  static final Duration TICK = Duration.ofSeconds(30);
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  private final ServiceManager manager;
  private final Liveness liveness;
  private final Supplier<String> statusLine;
  private final Duration interval;
  private final boolean watchdog;
  private final ScheduledExecutorService scheduler;
  private volatile List<String> stuck = List.of();
  private ScheduledFuture<?> ticking;
  private String lastStatus = "";

  /**
   * @param watchdog systemd's watchdog interval ({@link #watchdogInterval}), if it set one
   * @param scheduler runs the ticks; its thread waits for the probes, so it serves nothing else
   */
  public ServiceWatch(ServiceManager manager, Liveness liveness, Supplier<String> statusLine,
      Optional<Duration> watchdog, ScheduledExecutorService scheduler) {
    this.manager = manager;
    this.liveness = liveness;
    this.statusLine = statusLine;
    this.watchdog = watchdog.isPresent();
    this.interval = watchdog.map(w -> w.dividedBy(2)).filter(w -> !w.isZero()).orElse(TICK);
    this.scheduler = scheduler;
  }

  /**
   * The watchdog interval systemd asks for ({@code WATCHDOG_USEC}), unless {@code WATCHDOG_PID}
   * names another process (sd_watchdog_enabled(3)).
   */
  public static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
    String usec = env.get("WATCHDOG_USEC");
    String forPid = env.get("WATCHDOG_PID");
    if (usec == null || (forPid != null && !forPid.equals(Long.toString(pid)))) {
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(usec.strip());
      return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
    } catch (NumberFormatException e) {
      Logger.warn("WATCHDOG_USEC = '{}' is not a number of microseconds; no watchdog pings", usec);
      return Optional.empty();
    }
  }

  /** Says READY=1 (the vault is open, the socket bound) and starts ticking. */
  public synchronized void ready() {
    lastStatus = status(List.of());
    manager.notify(List.of("READY=1", "STATUS=" + lastStatus));
    long ms = interval.toMillis();
    ticking = scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One probe; WATCHDOG=1 if every part answered, and STATUS= when the line changed. */
  void tick() {
    try {
      Duration wait = interval.dividedBy(2).compareTo(MAX_WAIT) < 0 ? interval.dividedBy(2) : MAX_WAIT;
      List<String> now = liveness.stuck(wait);
      if (!now.isEmpty() && !now.equals(stuck)) {
        Logger.warn("not answering within {}: {}{}", wait, String.join(", ", now),
            watchdog ? "; no watchdog ping, systemd restarts the agent if it stays so" : "");
      } else if (now.isEmpty() && !stuck.isEmpty()) {
        Logger.info("answering again: {}", String.join(", ", stuck));
      }
      stuck = now;
      String line = status(now);
      List<String> send = new ArrayList<>();
      if (watchdog && now.isEmpty()) {
        send.add("WATCHDOG=1");
      }
      if (!line.equals(lastStatus)) {
        send.add("STATUS=" + line);
        lastStatus = line;
      }
      if (!send.isEmpty()) {
        manager.notify(send);
      }
    } catch (RuntimeException e) {
      Logger.error(e, "service watch tick failed");
    }
  }

  Duration interval() {
    return interval;
  }

  /** The parts that did not answer the last probe (empty before the first tick). */
  public List<String> stuck() {
    return stuck;
  }

  private String status(List<String> stuckNow) {
    String line = stuckNow.isEmpty() ? statusLine.get() : "NOT ANSWERING: " + String.join(", ", stuckNow) + "; "
        + statusLine.get();
    return line.replaceAll("\\p{Cntrl}", " ");
  }

  /** Says STOPPING=1 and stops ticking. */
  @Override
  public synchronized void close() {
    if (ticking != null) {
      ticking.cancel(false);
    }
    manager.notify(List.of("STOPPING=1", "STATUS=stopping"));
    scheduler.shutdownNow();
  }
}
