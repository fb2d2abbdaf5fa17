package dev.holdfast.agent.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * Hands due records to their senders. Each lane (channel + destination) is a FIFO with at most one
 * attempt in flight, so a slow or failing destination holds up only itself; at most {@code
 * concurrency} attempts run at once. Outcomes are committed asynchronously: a delivered record
 * frees its lane at once (its removal commits while the next record goes), a failed one only once
 * its retry time is durable. One pump, on the scheduler, decides what to start; it runs when a
 * commit changes the queue, when an attempt ends, and when the earliest retry falls due.
 */
public final class Dispatcher implements AutoCloseable {
  /** How often TTL expiry is checked while records are queued. */
  static final Duration EXPIRY_CHECK = Duration.ofSeconds(1);
  /** At most this many delivered records wait for their commit: bounds what a crash sends twice. */
  static final int MAX_SETTLING = 1024;
  /** Delivered records one worker sends in a row from its lane before handing back to the pump. */
  static final int RUN_LENGTH = 64;

  private final Outbox outbox;
  private final Function<OutboxRecord, Sender> senders;
  private final RetryPolicy policy;
  private final int concurrency;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService workers;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  /** Delivered records whose removal is not committed yet; passed over when choosing lane heads. */
  private final Set<RecordId> settling = ConcurrentHashMap.newKeySet();
  /** A pump is queued on the scheduler and has not started: further wakes need no other. */
  private final java.util.concurrent.atomic.AtomicBoolean pumpQueued = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean stopping;
  private ScheduledFuture<?> timer;
  private Instant timerAt = Instant.MAX;
  private Instant lastExpiryCheck = Instant.MIN;

  /**
   * @param scheduler runs the pump; single-threaded
   * @param workers runs attempts; at least {@code concurrency} threads
   */
  public Dispatcher(Outbox outbox, Function<OutboxRecord, Sender> senders, RetryPolicy policy, int concurrency,
      Clock clock, ScheduledExecutorService scheduler, ExecutorService workers) {
    this.outbox = outbox;
    this.senders = senders;
    this.policy = policy;
    this.concurrency = concurrency;
    this.clock = clock;
    this.scheduler = scheduler;
    this.workers = workers;
  }

  public void start() {
    outbox.onChange(this::wake);
    wake();
  }

  /**
   * Asks the pump to look again. Wakes that come while a pump is queued share it: it has not
   * looked yet, so it sees what they announce.
   */
  public void wake() {
    if (!stopping && pumpQueued.compareAndSet(false, true)) {
      try {
        scheduler.execute(this::pump);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // shutting down
      }
    }
  }

  private void pump() {
    pumpQueued.set(false);
    if (stopping) {
      return;
    }
    try {
      expireIfDue();
      int free = settling.size() >= MAX_SETTLING ? 0 : concurrency - busy.size();
      if (free > 0) {
        for (OutboxRecord r : outbox.due(busy, settling, free)) {
          busy.add(r.lane());
          workers.execute(() -> attempt(r));
        }
      }
      scheduleNext();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      if (!stopping) {
        throw e;
      }
      // shutting down: nothing new starts
    } catch (RuntimeException e) {
      Logger.error(e, "dispatcher pump failed; retrying in {}", EXPIRY_CHECK);
      timerAt = clock.instant().plus(EXPIRY_CHECK);
      timer = scheduler.schedule(this::timerFired, EXPIRY_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void expireIfDue() {
    Instant now = clock.instant();
    if (Duration.between(lastExpiryCheck, now).compareTo(EXPIRY_CHECK) < 0) {
      return;
    }
    lastExpiryCheck = now;
    try {
      int n = outbox.expire();
      if (n > 0) {
        Logger.warn("{} outbox record(s) expired (TTL) and were dead-lettered", n);
      }
    } catch (OutboxException e) {
      Logger.warn("could not dead-letter expired records: {}", e.getMessage());
    }
  }

  /**
   * Sets the timer for the earliest idle lane head, or the next expiry check. A timer already set
   * for that moment or earlier stays (an early pump only looks and sets it again).
   */
  private void scheduleNext() {
    Optional<Instant> next = outbox.nextDue(busy, settling);
    if (next.isEmpty() && !outbox.hasQueued()) {
      return;
    }
    Instant now = clock.instant();
    Instant at = next.filter(n -> n.isBefore(now.plus(EXPIRY_CHECK))).orElse(now.plus(EXPIRY_CHECK));
    if (timer != null && !timerAt.isAfter(at)) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    long delay = Math.max(0, Duration.between(now, at).toMillis());
    timerAt = at;
    timer = scheduler.schedule(this::timerFired, delay, TimeUnit.MILLISECONDS);
  }

  /** The timer's pump; like the pump and {@link #scheduleNext}, it runs on the scheduler thread. */
  private void timerFired() {
    timer = null;
    timerAt = Instant.MAX;
    pump();
  }

  /**
   * Attempts {@code first}, then — while attempts are delivered — the records behind it in its lane,
   * on this thread, without going back through the pump (at most {@link #RUN_LENGTH} in a row, so
   * other lanes get their turn when lanes outnumber workers).
   */
  private void attempt(OutboxRecord first) {
    Optional<OutboxRecord> next = Optional.of(first);
    for (int run = 0; next.isPresent() && run < RUN_LENGTH && !stopping; run++) {
      OutboxRecord r = next.get();
      if (!deliver(r)) {
        return; // the lane is released when the failed attempt's outcome is durable
      }
      next = settling.size() < MAX_SETTLING ? outbox.dueInLane(r.lane(), settling) : Optional.empty();
    }
    // Pipelining: the next record of this lane may go while the last removal commits. A crash before
    // that commit sends the record again (its key absorbs that), after the next one's first arrival,
    // so first arrivals stay in order.
    busy.remove(first.lane());
    wake();
  }

  /** One attempt and its outcome handed to the outbox; true if it was delivered. */
  private boolean deliver(OutboxRecord r) {
    DeliveryOutcome outcome;
    try {
      outcome = senders.apply(r).send(r);
    } catch (RuntimeException e) {
      Logger.error(e, "sender failed on record {}", r.id());
      outcome = new DeliveryOutcome.Retry("internal error in the sender (" + e.getClass().getSimpleName() + ")",
          Optional.empty());
    }
    Logger.debug("record {} ({}): {}", r.id(), r.channel().wireName(), outcome);
    boolean delivered = outcome instanceof DeliveryOutcome.Delivered;
    if (delivered) {
      settling.add(r.id());
    }
    outbox.recordOutcomeAsync(r, outcome, policy).whenComplete((ok, failure) -> {
      if (failure != null) {
        // the record stays queued as it was and is attempted again: at-least-once
        Logger.warn("could not record the outcome of {}: {}", r.id(), failure.getMessage());
      }
      settling.remove(r.id());
      if (!delivered) {
        busy.remove(r.lane());
      }
      wake();
    });
    return delivered;
  }

  /**
   * Starts nothing new and waits up to {@code grace} for attempts in flight; an attempt cut short
   * leaves its record queued, to be sent again after the restart.
   */
  public void shutdown(Duration grace) {
    stopping = true;
    workers.shutdown();
    try {
      if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        Logger.warn("attempts still in flight after {}; their records stay queued", grace);
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }
}
