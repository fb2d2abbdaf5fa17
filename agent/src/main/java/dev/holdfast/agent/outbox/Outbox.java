package dev.holdfast.agent.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.log.Location;
import dev.holdfast.agent.outbox.log.LogDamage;
import dev.holdfast.agent.outbox.log.LogEntry;
import dev.holdfast.agent.outbox.log.Mark;
import dev.holdfast.agent.outbox.log.SegmentLog;
import dev.holdfast.agent.outbox.log.Wire;
import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;

/**
 * The durable queue. Records live in an append-only log of sealed segments beside the vault
 * ({@code <data-dir>/outbox/}); the vault keeps the log's data key and how far it reached at the
 * last clean stop. Every change is one entry in a batch that the committer writes and flushes for
 * all changes waiting at that moment (group commit). A change is visible — to readers and to the
 * dispatcher — only once it is durable, which is also when {@link #enqueue} returns: nothing is
 * sent before it is acknowledged. Memory holds every record's metadata, never its body: bodies are
 * read back from the log when they are sent or shown.
 */
public final class Outbox implements AutoCloseable {
  static final VaultCollection<String, byte[]> LOG_STATE = VaultCollection.hidden("outbox-log", Codec.UTF8,
      Codec.BYTES);
  private static final String DATA_KEY = "data-key";
  private static final String MARK = "mark";
  /** The most records one expiry or retry-all step changes; the rest follow in later steps. */
  static final int STEP_LIMIT = 4096;

  private final Vault vault;
  private final OutboxSettings settings;
  private final Clock clock;
  private final RandomGenerator random;
  private final IdGenerator ids;
  private final Index index;
  private final SegmentLog log;
  private final OutboxStorage storage;
  private final Committer committer;
  /** Whether the last append failed to reach the disk (the status LED shows it). */
  private volatile boolean storageFailing;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Channel>> rejectedListeners = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private Outbox(Vault vault, OutboxSettings settings, Clock clock, RandomGenerator random, Index index,
      SegmentLog log, OutboxStorage storage, long highestId) {
    this.vault = vault;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.index = index;
    this.log = log;
    this.storage = storage;
    this.ids = new IdGenerator(clock, highestId == 0 ? null : new RecordId(highestId));
    this.committer = new Committer(storage.committer(), storage.ticker(), Linger.Limits.DEFAULT, this::commit);
  }

  /**
   * Opens the outbox of {@code vault}: its log in {@code <data-dir>/outbox/}, on a committer thread
   * of its own; records an older agent kept in the vault move into the log on the first open.
   */
  public static Outbox open(Vault vault, OutboxSettings settings, Clock clock, RandomGenerator random)
      throws VaultException {
    return open(vault, settings, clock, random, new OutboxStorage(OutboxStorage.segmentBytesFor(settings),
        OutboxStorage.CACHE_BYTES, Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "outbox-commit");
          t.setDaemon(true);
          return t;
        }), System::nanoTime, true));
  }

  /** Like {@link #open(Vault, OutboxSettings, Clock, RandomGenerator)}, with the storage given. */
  public static Outbox open(Vault vault, OutboxSettings settings, Clock clock, RandomGenerator random,
      OutboxStorage storage) throws VaultException {
    Path dir = directoryOf(vault);
    Optional<byte[]> storedKey = vault.get(LOG_STATE, DATA_KEY);
    Optional<Mark> mark = vault.get(LOG_STATE, MARK).flatMap(Mark::decode);
    byte[] key = storedKey.orElseGet(() -> {
      byte[] k = new byte[Aead.KEY_BYTES];
      vault.random().nextBytes(k);
      return k;
    });
    Index index = new Index();
    Loader loader = new Loader(index);
    SegmentLog log;
    try {
      finishInterruptedRepair(vault.disk(), dir);
      log = SegmentLog.open(vault.disk(), dir, new Aead(Secret.wrap(key), vault.random()),
          new SegmentLog.Options(storage.segmentBytes(), storage.cacheBytes()), storedKey.isPresent(), mark, loader);
      loader.finish();
    } catch (LogDamage e) {
      throw new VaultException(VaultException.Reason.CORRUPT, e.getMessage(), e);
    } catch (IOException e) {
      throw new VaultException(VaultException.Reason.IO, "could not open the outbox log in " + dir + ": "
          + e.getMessage(), e);
    }
    if (storedKey.isEmpty()) {
      vault.write(tx -> {
        tx.put(LOG_STATE, DATA_KEY, key); // before the first batch is sealed with it
        return null;
      });
    }
    java.util.Arrays.fill(key, (byte) 0);
    Outbox outbox = new Outbox(vault, settings, clock, random, index, log, storage, loader.highestId());
    try {
      LegacyImport.run(vault, outbox);
    } catch (VaultException | RuntimeException e) {
      outbox.close();
      throw e;
    }
    return outbox;
  }

  /**
   * A repair writes the fresh log completely, then moves the damaged directory aside, then the
   * fresh one into its place: a crash between the two moves leaves only the fresh one, finished here.
   */
  static void finishInterruptedRepair(dev.holdfast.vault.Disk disk, Path dir) throws IOException {
    Path fresh = dir.resolveSibling(dir.getFileName() + ".repair");
    if (!disk.exists(dir) && disk.exists(fresh)) {
      disk.move(fresh, dir);
      disk.syncDirectory(dir.getParent());
      Logger.info("finished an interrupted 'outbox repair': {} is the outbox log now", dir);
    }
  }

  /** Where the outbox of {@code vault} keeps its log. */
  public static Path directoryOf(Vault vault) {
    return vault.file().toAbsolutePath().getParent().resolve("outbox");
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
  public void onCredentialsRejected(Consumer<Channel> listener) {
    rejectedListeners.add(listener);
  }

  // ---- committing --------------------------------------------------------------------------

  /** One group commit: plan every change, write them as one batch, then show them. */
  private void commit(List<Committer.Pending<?>> pendings) {
    Batch batch = new Batch(index);
    List<Runnable> answers = new ArrayList<>(pendings.size());
    List<Committer.Pending<?>> planned = new ArrayList<>(pendings.size());
    for (Committer.Pending<?> p : pendings) {
      Batch.Mark mark = batch.mark();
      try {
        answers.add(plan(p, batch));
        planned.add(p);
      } catch (OutboxException | RuntimeException e) {
        batch.rollback(mark);
        answers.add(() -> p.done().completeExceptionally(e));
      }
    }
    if (!batch.isEmpty()) {
      try {
        List<LogEntry> entries = batch.entries();
        List<Location> at = log.append(entries);
        batch.applyTo(index, at, log::release);
        storageFailing = false;
      } catch (IOException e) {
        storageFailing = true;
        OutboxException failure = new OutboxException(OutboxException.Reason.STORAGE,
            "could not save to the outbox: " + e.getMessage(), e);
        planned.forEach(p -> p.done().completeExceptionally(failure));
        answers.forEach(Runnable::run); // the refused ones keep their own reason
        return;
      }
    }
    if (batch.movesALaneHead()) {
      listeners.forEach(Runnable::run); // before the callers hear back: what they see, the dispatcher saw
    }
    answers.forEach(Runnable::run);
    try {
      log.tidy(owner);
    } catch (IOException | RuntimeException e) {
      Logger.warn("could not retire or compact outbox segments (will try again): {}", e.getMessage());
    }
  }

  private static <T> Runnable plan(Committer.Pending<T> p, Batch batch) throws OutboxException {
    T result = p.step().plan(batch);
    return () -> p.done().complete(result);
  }

  /** What compaction asks the outbox: which entries it holds in a segment, and where they went. */
  private final SegmentLog.Owner owner = new SegmentLog.Owner() {
    @Override
    public List<Location> heldIn(long segment) {
      return index.heldIn(segment);
    }

    @Override
    public void moved(byte[] body, Location from, Location to) {
      try {
        if (from.type() == Entries.STATS) {
          index.moved(0, Entries.channelOf(body, 0, body.length), from, to);
        } else {
          index.moved(Entries.idOf(body, 0, body.length), null, from, to);
        }
      } catch (Wire.Malformed e) {
        throw new IllegalStateException("an outbox entry the outbox wrote does not decode: " + e.getMessage(), e);
      }
    }
  };

  <T> T submit(Committer.Step<T> step) throws OutboxException {
    return committer.submit(step);
  }

  Lane laneToPlan(Channel channel, String destination) {
    return index.laneToPlan(channel, destination);
  }

  @SafeVarargs
  final void advanceIdsPast(List<java.util.Map.Entry<RecordId, OutboxRecord>>... records) {
    for (List<java.util.Map.Entry<RecordId, OutboxRecord>> list : records) {
      list.forEach(e -> ids.advancePast(e.getKey()));
    }
  }

  // ---- changes -----------------------------------------------------------------------------

  /** Adds a message; returns only once it is durable. */
  public RecordId enqueue(NewMessage message) throws OutboxException {
    message.validate(settings.maxBodyBytes());
    return committer.submit(batch -> planEnqueue(batch, message));
  }

  private RecordId planEnqueue(Batch batch, NewMessage m) throws OutboxException {
    if (m.idempotencyKey().isPresent()) {
      String key = m.idempotencyKey().get();
      for (RecordView v : batch.queuedWithKeyHash(Entries.keyHash(key))) {
        OutboxRecord same = v.fresh() != null ? v.fresh() : read(v);
        if (same.idempotencyKey().equals(key)) {
          return sameMessageOrConflict(same, m);
        }
      }
    }
    Instant now = clock.instant();
    String key = m.idempotencyKey().orElseGet(this::newIdempotencyKey);
    OutboxRecord record = new OutboxRecord(ids.next(), key, m.channel(), m.destination(), m.body().clone(),
        m.contentType(), now, now.plus(m.ttl().orElse(settings.defaultTtl())), 0, now, Optional.empty(), false);
    LogEntry entry = Entries.record(record, 0);
    long size = entry.body().length;
    if (size > settings.maxBytes()) {
      throw new OutboxException(OutboxException.Reason.TOO_LARGE, "the message takes " + size
          + " bytes; it can never fit in outbox.max-bytes=" + settings.maxBytes());
    }
    while (batch.count() + 1 > settings.maxRecords() || batch.bytes() + size > settings.maxBytes()) {
      if (settings.whenFull() == OutboxSettings.WhenFull.REFUSE) {
        throw new OutboxException(OutboxException.Reason.FULL, "the outbox is full (" + batch.count()
            + " records, " + batch.bytes() + " bytes; limits outbox.max-records=" + settings.maxRecords()
            + ", outbox.max-bytes=" + settings.maxBytes() + "); it accepts again as records are delivered");
      }
      RecordView victim = batch.oldest().orElseThrow(() -> new OutboxException(OutboxException.Reason.FULL,
          "the message does not fit in outbox.max-bytes=" + settings.maxBytes()));
      batch.settle(victim, Entries.Settled.DROPPED_WHEN_FULL);
      batch.stats(victim.channel(), s -> s.dropped(1));
      Logger.warn("outbox full: dropping the oldest record {} ({}) to make room (outbox.when-full=drop-oldest)",
          victim.recordId(), victim.channel().wireName());
    }
    batch.add(record, laneToPlan(m.channel(), m.destination()), entry);
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
  private Committer.Step<Boolean> outcomeStep(OutboxRecord attempted, DeliveryOutcome outcome, RetryPolicy policy) {
    return batch -> {
      Optional<RecordView> current = batch.queued(attempted.id().value());
      if (current.isEmpty()) {
        return false; // dropped while it was in flight
      }
      RecordView r = current.get();
      Instant now = clock.instant();
      Channel channel = r.channel();
      if (outcome instanceof DeliveryOutcome.Delivered) {
        batch.settle(r, Entries.Settled.DELIVERED);
        batch.stats(channel, s -> s.deliveredAt(now));
      } else if (outcome instanceof DeliveryOutcome.Retry retry) {
        Instant next = policy.nextAttempt(r.attempts(), retry.retryAfter(), now, random);
        batch.change(r.withState(false, r.expires(), r.attempts() + 1, next.toEpochMilli(), retry.reason()));
        batch.stats(channel, s -> s.failedAt(now, retry.reason()));
      } else if (outcome instanceof DeliveryOutcome.Permanent permanent) {
        batch.change(r.withState(true, r.expires(), r.attempts() + 1, now.toEpochMilli(), permanent.reason()));
        batch.stats(channel, s -> s.failedAt(now, permanent.reason()));
        Logger.warn("outbox record {} ({}) dead-lettered: {}", r.recordId(), channel.wireName(), permanent.reason());
      } else {
        Instant until = now.plus(policy.cap());
        batch.change(r.withState(false, r.expires(), r.attempts() + 1, until.toEpochMilli(), outcome.reason()));
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
    int total = 0;
    while (true) {
      long now = clock.millis();
      int n = committer.submit(batch -> {
        int changed = 0;
        for (RecordView r : index.expired(now, STEP_LIMIT)) {
          Optional<RecordView> current = batch.queued(r.id());
          if (current.isPresent() && current.get().expires() <= now) {
            RecordView c = current.get();
            String reason = "expired (TTL) after " + c.attempts() + " attempt(s)"
                + (c.lastError() == null ? "" : "; last error: " + c.lastError());
            batch.change(c.withState(true, c.expires(), c.attempts(), c.nextAttempt(), reason));
            changed++;
          }
        }
        return changed;
      });
      total += n;
      if (n < STEP_LIMIT) {
        return total;
      }
    }
  }

  /** Sends a queued record now, or puts a dead letter back in the queue. */
  public void retry(RecordId id) throws OutboxException {
    committer.submit(batch -> {
      long now = clock.millis();
      Optional<RecordView> current = batch.current(id.value());
      if (current.isEmpty()) {
        throw notFound(id);
      }
      RecordView r = current.get();
      long expires = r.dead() && r.expires() <= now ? now + settings.defaultTtl().toMillis() : r.expires();
      batch.change(r.withState(false, expires, r.attempts(), now, r.lastError()));
      return null;
    });
  }

  /** Puts every dead letter back in the queue; returns how many. */
  public int retryAllDead() throws OutboxException {
    int total = 0;
    while (true) {
      int n = committer.submit(batch -> {
        long now = clock.millis();
        int changed = 0;
        for (long id : index.ids(true, 0, STEP_LIMIT)) {
          Optional<RecordView> dead = batch.dead(id);
          if (dead.isPresent()) {
            RecordView r = dead.get();
            long expires = r.expires() <= now ? now + settings.defaultTtl().toMillis() : r.expires();
            batch.change(r.withState(false, expires, r.attempts(), now, r.lastError()));
            changed++;
          }
        }
        return changed;
      });
      total += n;
      if (n < STEP_LIMIT) {
        return total;
      }
    }
  }

  /** Removes a record, queued or dead. */
  public void drop(RecordId id) throws OutboxException {
    committer.submit(batch -> {
      RecordView r = batch.current(id.value()).orElseThrow(() -> notFound(id));
      batch.settle(r, Entries.Settled.DROPPED);
      return null;
    });
  }

  private static OutboxException notFound(RecordId id) {
    return new OutboxException(OutboxException.Reason.NOT_FOUND,
        "no outbox record " + id + " (see 'holdfast-agent outbox list' and 'outbox list --dead')");
  }

  // ---- reading -----------------------------------------------------------------------------

  /** Every queued record (or dead letter), oldest first, without destinations and bodies. */
  public List<RecordSummary> list(boolean dead) {
    return index.list(dead, 0, Integer.MAX_VALUE);
  }

  /** At most {@code limit} queued records (or dead letters) after {@code after}, oldest first. */
  public List<RecordSummary> list(boolean dead, Optional<RecordId> after, int limit) {
    return index.list(dead, after.map(RecordId::value).orElse(0L), limit);
  }

  /** The whole record, body included (read from the log). */
  public Optional<OutboxRecord> find(RecordId id) throws OutboxException {
    Optional<RecordView> v = index.find(id.value());
    return v.isEmpty() ? Optional.empty() : load(v.get());
  }

  /** Whether any record is queued (dead letters aside). */
  public boolean hasQueued() {
    return index.hasQueued();
  }

  /** Whether the last commit could not be written to the vault (cleared by the next one that is). */
  public boolean storageFailing() {
    return storageFailing;
  }

  public OutboxStatus status() {
    return index.status(clock.instant(), settings);
  }

  /** What the log occupies on disk. */
  public SegmentLog.Status storage() {
    return log.status();
  }

  /**
   * The head of every lane that may be attempted now: not in {@code busyLanes}, its channel not
   * held, its next attempt due; {@code settling} records (delivered, their removal not yet
   * committed) are passed over, so the record behind one becomes its lane's head. At most {@code
   * limit}, oldest first.
   */
  public List<OutboxRecord> due(Set<String> busyLanes, Set<RecordId> settling, int limit) {
    List<OutboxRecord> out = new ArrayList<>();
    for (RecordView v : index.dueHeads(clock.instant(), busyLanes, id -> settling.contains(new RecordId(id)), limit)) {
      loadForDelivery(v).ifPresent(out::add);
    }
    return out;
  }

  /** The next record of {@code lane} that may be attempted now, passing over settling ones. */
  public Optional<OutboxRecord> dueInLane(String lane, Set<RecordId> settling) {
    return index.dueInLane(lane, clock.instant(), id -> settling.contains(new RecordId(id)))
        .flatMap(this::loadForDelivery);
  }

  /** When the earliest idle lane head becomes due (for the dispatcher's timer). */
  public Optional<Instant> nextDue(Set<String> busyLanes, Set<RecordId> settling) {
    return index.nextDue(busyLanes, id -> settling.contains(new RecordId(id)));
  }

  private Optional<OutboxRecord> loadForDelivery(RecordView v) {
    try {
      return load(v);
    } catch (OutboxException e) {
      Logger.error("outbox record {} cannot be read, so it is not sent: {}", v.recordId(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Reads a record's body; empty if it was settled meanwhile. */
  private Optional<OutboxRecord> load(RecordView first) throws OutboxException {
    RecordView v = first;
    for (int attempt = 0; attempt < 8; attempt++) {
      try {
        byte[] body = log.read(v.image());
        if (body != null) {
          return Optional.of(v.with(Entries.image(body, 0, body.length, true)));
        }
      } catch (IOException | Wire.Malformed e) {
        throw new OutboxException(OutboxException.Reason.STORAGE, "could not read outbox record " + v.recordId()
            + ": " + e.getMessage(), e);
      }
      // its segment was compacted away meanwhile: look it up again
      Optional<RecordView> again = index.find(v.id());
      if (again.isEmpty()) {
        return Optional.empty();
      }
      v = again.get();
    }
    throw new OutboxException(OutboxException.Reason.STORAGE, "outbox record " + v.recordId()
        + " kept moving while it was read; try again");
  }

  private OutboxRecord read(RecordView v) throws OutboxException {
    return load(v).orElseThrow(() -> new OutboxException(OutboxException.Reason.NOT_FOUND,
        "outbox record " + v.recordId() + " was settled while it was read"));
  }

  /**
   * Stops accepting changes after the ones already submitted are committed, closes the log and
   * notes in the vault how far it reached (checked at the next open).
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    committer.close();
    if (storage.ownsCommitter()) {
      storage.committer().shutdown();
      try {
        storage.committer().awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Mark mark = log.close();
    if (mark != null && log.failure().isEmpty()) {
      try {
        vault.write(tx -> {
          tx.put(LOG_STATE, MARK, mark.encode());
          return null;
        });
      } catch (VaultException | RuntimeException e) {
        Logger.warn("could not note in the vault where the outbox log ends ({}); the next start checks less",
            e.getMessage());
      }
    }
  }
}
