package dev.holdfast.agent.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;

/**
 * The durable queue. Every change is a vault transaction made by one committer thread that takes
 * all waiting changes at once (group commit), so many producers share each fsync. A caller's
 * change is visible — to readers and to the dispatcher — only after its commit, which is also
 * when {@link #enqueue} returns: nothing is sent before it is acknowledged.
 */
public final class Outbox implements AutoCloseable {
  static final VaultCollection<RecordId, OutboxRecord> QUEUE =
      VaultCollection.ordered("outbox", RecordCodec.IDS, RecordCodec.INSTANCE);
  static final VaultCollection<RecordId, OutboxRecord> DEAD =
      VaultCollection.ordered("outbox-dead", RecordCodec.IDS, RecordCodec.INSTANCE);
  static final VaultCollection<String, ChannelStats> STATS =
      VaultCollection.ordered("outbox-stats", Codec.UTF8, ChannelStats.CODEC);

  private final OutboxSettings settings;
  private final Clock clock;
  private final RandomGenerator random;
  private final IdGenerator ids;
  private final State state;
  private final GroupCommitter committer;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<Channel>> rejectedListeners = new CopyOnWriteArrayList<>();

  private Outbox(Vault vault, OutboxSettings settings, Clock clock, RandomGenerator random, State state) {
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.state = state;
    this.ids = new IdGenerator(clock, state.lastId());
    this.committer = new GroupCommitter(vault, state, () -> new Batch(state), this::changed);
  }

  /** Loads the queue from the vault and starts the committer. */
  public static Outbox open(Vault vault, OutboxSettings settings, Clock clock, RandomGenerator random)
      throws VaultException {
    State state = new State();
    for (Map.Entry<RecordId, OutboxRecord> e : vault.entries(QUEUE)) {
      state.putQueued(e.getValue());
    }
    for (Map.Entry<RecordId, OutboxRecord> e : vault.entries(DEAD)) {
      state.putDead(e.getValue());
    }
    for (Map.Entry<String, ChannelStats> e : vault.entries(STATS)) {
      state.stats.put(Channel.fromWire(e.getKey()), e.getValue());
    }
    return new Outbox(vault, settings, clock, random, state);
  }

  /**
   * Called (on the committing thread) after every commit that may make a record due: a new lane
   * head, an outcome, a retry, a drop. Not after commits that only queue records behind a lane's
   * committed head: they cannot go before that head moves.
   */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Called (on the delivering thread, after the hold is durable) when a receiver rejected the
   * device's credentials on a channel: the event credential rotation consumes.
   */
  public void onCredentialsRejected(java.util.function.Consumer<Channel> listener) {
    rejectedListeners.add(listener);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  /** Adds a message; returns only once it is durable. */
  public RecordId enqueue(NewMessage message) throws OutboxException {
    message.validate(settings.maxBodyBytes());
    return committer.submit(batch -> planEnqueue(batch, message));
  }

  private RecordId planEnqueue(Batch batch, NewMessage m) throws OutboxException {
    if (m.idempotencyKey().isPresent()) {
      Optional<OutboxRecord> same = batch.queuedWithKey(m.idempotencyKey().get());
      if (same.isPresent()) {
        return sameMessageOrConflict(same.get(), m);
      }
    }
    long size = State.sizeOf(m.body().length, m.destination());
    while (batch.count() + 1 > settings.maxRecords() || batch.bytes() + size > settings.maxBytes()) {
      if (settings.whenFull() == OutboxSettings.WhenFull.REFUSE) {
        throw new OutboxException(OutboxException.Reason.FULL, "the outbox is full (" + batch.count()
            + " records, " + batch.bytes() + " bytes; limits outbox.max-records=" + settings.maxRecords()
            + ", outbox.max-bytes=" + settings.maxBytes() + "); it accepts again as records are delivered");
      }
      OutboxRecord victim = batch.oldest().orElseThrow(() -> new OutboxException(OutboxException.Reason.FULL,
          "the message does not fit in outbox.max-bytes=" + settings.maxBytes()));
      batch.remove(victim);
      batch.stats(victim.channel(), s -> s.dropped(1));
      Logger.warn("outbox full: dropped the oldest record {} ({}) to make room (outbox.when-full=drop-oldest)",
          victim.id(), victim.channel().wireName());
    }
    Instant now = clock.instant();
    String key = m.idempotencyKey().orElseGet(this::newIdempotencyKey);
    OutboxRecord record = new OutboxRecord(ids.next(), key, m.channel(), m.destination(), m.body().clone(),
        m.contentType(), now, now.plus(m.ttl().orElse(settings.defaultTtl())), 0, now, Optional.empty(), false);
    batch.putQueued(record);
    return record.id();
  }

  /**
   * A producer that re-sends after losing the answer (a timeout, the agent restarting) must not
   * queue the message twice: the same key with the same message returns the queued record.
   */
  private static RecordId sameMessageOrConflict(OutboxRecord queued, NewMessage m) throws OutboxException {
    if (queued.channel() == m.channel() && queued.destination().equals(m.destination())
        && java.util.Arrays.equals(queued.payload(), m.body())) {
      return queued.id();
    }
    throw new OutboxException(OutboxException.Reason.CONFLICT, "the idempotency key is already used by queued record "
        + queued.id() + " for a different message; use a new key for a new message");
  }

  private String newIdempotencyKey() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Records what an attempt came to, and waits until that is durable (committing it at once). */
  public void recordOutcome(OutboxRecord attempted, DeliveryOutcome outcome, RetryPolicy policy)
      throws OutboxException {
    if (committer.submit(outcomeStep(attempted, outcome, policy))) {
      rejectedListeners.forEach(l -> l.accept(attempted.channel()));
    }
  }

  /**
   * Records what an attempt came to: delivered, retry later, dead letter, or channel held. The
   * future completes once that is durable and visible; it fails with an {@link OutboxException}.
   */
  public CompletableFuture<Void> recordOutcomeAsync(OutboxRecord attempted, DeliveryOutcome outcome,
      RetryPolicy policy) {
    return committer.submitAsync(outcomeStep(attempted, outcome, policy)).thenAccept(held -> {
      if (held) {
        rejectedListeners.forEach(l -> l.accept(attempted.channel()));
      }
    });
  }

  /** Plans an attempt's outcome; the step's result says whether the channel is now held. */
  private GroupCommitter.Step<Boolean> outcomeStep(OutboxRecord attempted, DeliveryOutcome outcome,
      RetryPolicy policy) {
    return batch -> {
      Optional<OutboxRecord> current = batch.queued(attempted.id());
      if (current.isEmpty()) {
        return false; // dropped while it was in flight
      }
      OutboxRecord r = current.get();
      Instant now = clock.instant();
      Channel channel = r.channel();
      if (outcome instanceof DeliveryOutcome.Delivered) {
        batch.removeQueued(r.id());
        batch.stats(channel, s -> s.deliveredAt(now));
      } else if (outcome instanceof DeliveryOutcome.Retry retry) {
        Instant next = policy.nextAttempt(r.attempts(), retry.retryAfter(), now, random);
        batch.putQueued(r.withAttempt(next, retry.reason()));
        batch.stats(channel, s -> s.failedAt(now, retry.reason()));
      } else if (outcome instanceof DeliveryOutcome.Permanent permanent) {
        batch.removeQueued(r.id());
        batch.putDead(r.withAttempt(now, permanent.reason()).asDead(permanent.reason()));
        batch.stats(channel, s -> s.failedAt(now, permanent.reason()));
        Logger.warn("outbox record {} ({}) dead-lettered: {}", r.id(), channel.wireName(), permanent.reason());
      } else {
        Instant until = now.plus(policy.cap());
        batch.putQueued(r.withAttempt(until, outcome.reason()));
        batch.stats(channel, s -> s.failedAt(now, outcome.reason()).heldUntil(until));
        Logger.warn("credentials rejected on channel {}: {}; holding it until {} (rotation needed)",
            channel.wireName(), outcome.reason(), until);
        return true;
      }
      return false;
    };
  }

  /** Dead-letters every queued record whose TTL has passed; returns how many. */
  public int expire() throws OutboxException {
    Instant now = clock.instant();
    return committer.submit(batch -> {
      int n = 0;
      for (OutboxRecord r : state.snapshotQueued()) {
        if (!now.isBefore(r.expires()) && batch.queued(r.id()).isPresent()) {
          String reason = "expired (TTL) after " + r.attempts() + " attempt(s)"
              + r.lastError().map(e -> "; last error: " + e).orElse("");
          batch.removeQueued(r.id());
          batch.putDead(r.asDead(reason));
          n++;
        }
      }
      return n;
    });
  }

  /** Sends a queued record now, or puts a dead letter back in the queue. */
  public void retry(RecordId id) throws OutboxException {
    committer.submit(batch -> {
      Instant now = clock.instant();
      Optional<OutboxRecord> dead = batch.dead(id);
      Optional<OutboxRecord> queued = batch.queued(id);
      if (dead.isPresent()) {
        batch.removeDead(id);
        batch.putQueued(revive(dead.get(), now));
      } else if (queued.isPresent()) {
        batch.putQueued(queued.get().revived(now));
      } else {
        throw notFound(id);
      }
      return null;
    });
  }

  /** Puts every dead letter back in the queue; returns how many. */
  public int retryAllDead() throws OutboxException {
    return committer.submit(batch -> {
      Instant now = clock.instant();
      int n = 0;
      for (OutboxRecord r : state.snapshotDead()) {
        if (batch.dead(r.id()).isPresent()) {
          batch.removeDead(r.id());
          batch.putQueued(revive(r, now));
          n++;
        }
      }
      return n;
    });
  }

  private OutboxRecord revive(OutboxRecord r, Instant now) {
    Instant expires = r.expires().isAfter(now) ? r.expires() : now.plus(settings.defaultTtl());
    return new OutboxRecord(r.id(), r.idempotencyKey(), r.channel(), r.destination(), r.payload(),
        r.contentType(), r.created(), expires, r.attempts(), now, r.lastError(), false);
  }

  /** Removes a record, queued or dead. */
  public void drop(RecordId id) throws OutboxException {
    committer.submit(batch -> {
      if (batch.queued(id).isPresent()) {
        batch.removeQueued(id);
      } else if (batch.dead(id).isPresent()) {
        batch.removeDead(id);
      } else {
        throw notFound(id);
      }
      return null;
    });
  }

  private static OutboxException notFound(RecordId id) {
    return new OutboxException(OutboxException.Reason.NOT_FOUND,
        "no outbox record " + id + " (see 'holdfast-agent outbox list' and 'outbox list --dead')");
  }

  public List<OutboxRecord> list(boolean dead) {
    return dead ? state.snapshotDead() : state.snapshotQueued();
  }

  public Optional<OutboxRecord> find(RecordId id) {
    return state.find(id);
  }

  /** Whether any record is queued (dead letters aside). */
  public boolean hasQueued() {
    return state.hasQueued();
  }

  /** Whether the last commit could not be written to the vault (cleared by the next one that is). */
  public boolean storageFailing() {
    return committer.failing();
  }

  public OutboxStatus status() {
    return state.status(clock.instant(), settings);
  }

  /**
   * The head of every lane that may be attempted now: not in {@code busyLanes}, its channel not
   * held, its next attempt due; {@code settling} records (delivered, their removal not yet
   * committed) are passed over, so the record behind one becomes its lane's head. At most {@code
   * limit}, oldest first.
   */
  public List<OutboxRecord> due(Set<String> busyLanes, Set<RecordId> settling, int limit) {
    return state.dueHeads(clock.instant(), busyLanes, settling, limit);
  }

  /** The next record of {@code lane} that may be attempted now, passing over settling ones. */
  public Optional<OutboxRecord> dueInLane(String lane, Set<RecordId> settling) {
    return state.dueInLane(lane, clock.instant(), settling);
  }

  /** When the earliest idle lane head becomes due (for the dispatcher's timer). */
  public Optional<Instant> nextDue(Set<String> busyLanes, Set<RecordId> settling) {
    return state.nextDue(busyLanes, settling);
  }

  /** Stops accepting changes after the ones already submitted are committed. */
  @Override
  public void close() {
    committer.close();
  }
}
