package dev.holdfast.provisioning.rotation;

import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.registry.RotationRecord;
import dev.holdfast.provisioning.service.ServiceConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * {@code fleet rotate}: rotates many devices through {@link RemoteRotation}, never more than {@code
 * maxInFlight} at once, and keeps a campaign in the audit log so that running it again resumes it.
 *
 * <p>A campaign is named by its selection ({@code all}, {@code expiring-within P30D}); it starts
 * with a {@value #STARTED} event and ends with {@value #FINISHED} once every device it selected is
 * confirmed. Run again while one with the same selection is unfinished, it goes on from where it
 * stopped: a device whose rotation was confirmed since the campaign started is not rotated again
 * (also one that confirmed after the command was killed, since the service answers devices whether
 * or not anyone is waiting).
 */
public final class FleetRotation {
  public static final String STARTED = "fleet.rotate.started";
  public static final String FINISHED = "fleet.rotate.finished";

  /** What became of one device. */
  public enum Result {
    /** It rotated: new certificate and API key, the old ones revoked. */
    CONFIRMED,
    /** It did not confirm in time (offline, or slow): it keeps working credentials; a re-run tries again. */
    OFFLINE_PENDING,
    /** The command could not be sent, or the rotation failed. */
    FAILED
  }

  /** One device's outcome: its rotation when confirmed, what happened otherwise. */
  public record DeviceOutcome(String deviceId, Result result, Optional<RotationRecord> rotation, String detail,
      Duration took) {}

  /** Told after each device ends. */
  @FunctionalInterface
  public interface Progress {
    void ended(DeviceOutcome outcome, int done, int total);
  }

  /** The campaign this run belongs to: when it started, and whether this run resumes it. */
  public record Campaign(String selection, Instant startedAt, boolean resumed) {}

  private final Registry registry;
  private final RemoteRotation remote;
  private final Clock clock;
  private final int maxInFlight;
  private final Duration timeout;

  /**
   * @param maxInFlight the most devices rotating at once
   * @param timeout how long each device has to confirm once its command is sent
   */
  public FleetRotation(Registry registry, RemoteRotation remote, Clock clock, int maxInFlight, Duration timeout) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("--max-in-flight must be at least 1");
    }
    this.registry = registry;
    this.remote = remote;
    this.clock = clock;
    this.maxInFlight = maxInFlight;
    this.timeout = timeout;
  }

  /** Starts a campaign for {@code selection}, or resumes the unfinished one with the same selection. */
  public Campaign begin(String selection, String actor) throws RegistryException {
    return registry.write(tx -> {
      Optional<Instant> open = Optional.ofNullable(openCampaigns(tx).get(selection));
      if (open.isPresent()) {
        return new Campaign(selection, open.get(), true);
      }
      Instant now = clock.instant();
      tx.audit().append(AuditEvent.of(now, actor, STARTED, null, selection));
      tx.rotations().campaignChanged();
      return new Campaign(selection, now, false);
    });
  }

  /** Whether {@code deviceId}'s latest rotation was asked for within {@code campaign} and confirmed. */
  public boolean rotatedIn(Campaign campaign, String deviceId) throws RegistryException {
    return registry.read(tx -> tx.rotations().find(deviceId))
        .filter(r -> r.state() == RotationRecord.State.CONFIRMED && !r.requestedAt().isBefore(campaign.startedAt()))
        .isPresent();
  }

  /** The unfinished campaigns in the audit log: each selection's name and when it began, oldest first. */
  static Map<String, Instant> openCampaigns(RegistryTx tx) throws RegistryException {
    Map<String, Instant> open = new LinkedHashMap<>();
    for (AuditEvent e : tx.audit().all()) {
      if (e.action().equals(STARTED)) {
        open.put(e.detail(), e.at());
      } else if (e.action().equals(FINISHED)) {
        open.remove(e.detail());
      }
    }
    return open;
  }

  /** Ends {@code campaign} in the audit log; when every device it selected is confirmed. */
  public void finish(Campaign campaign, String actor) throws RegistryException {
    registry.write(tx -> {
      tx.audit().append(AuditEvent.of(clock.instant(), actor, FINISHED, null, campaign.selection()));
      tx.rotations().campaignChanged();
      return null;
    });
  }

  /**
   * Rotates {@code devices}, at most {@code maxInFlight} at once, over {@code connection}; returns
   * their outcomes in the order given. An interrupt stops waiting; devices already sent their
   * command go on rotating, answered by the service, and a re-run counts them as done.
   */
  public List<DeviceOutcome> rotate(ServiceConnection connection, List<String> devices, Progress progress)
      throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(maxInFlight, r -> {
      Thread t = new Thread(r, "fleet-rotate");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<DeviceOutcome>> running = new ArrayList<>();
      for (String device : devices) {
        running.add(pool.submit(() -> {
          DeviceOutcome o = one(connection, device);
          progress.ended(o, done.incrementAndGet(), devices.size());
          return o;
        }));
      }
      List<DeviceOutcome> out = new ArrayList<>();
      for (int i = 0; i < devices.size(); i++) {
        try {
          out.add(running.get(i).get());
        } catch (ExecutionException e) {
          out.add(new DeviceOutcome(devices.get(i), Result.FAILED, Optional.empty(),
              String.valueOf(e.getCause()), Duration.ZERO));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private DeviceOutcome one(ServiceConnection connection, String device) throws InterruptedException {
    Instant start = clock.instant();
    try {
      RemoteRotation.Outcome o = remote.rotate(connection, device, timeout);
      if (o instanceof RemoteRotation.Outcome.Confirmed c) {
        return new DeviceOutcome(device, Result.CONFIRMED, Optional.of(c.rotation()), "rotated", c.took());
      }
      Duration took = Duration.between(start, clock.instant());
      if (o instanceof RemoteRotation.Outcome.Refused r) {
        return new DeviceOutcome(device, Result.FAILED, Optional.empty(), r.why(), took);
      }
      Optional<RotationRecord> pending = ((RemoteRotation.Outcome.TimedOut) o).pending();
      return new DeviceOutcome(device, Result.OFFLINE_PENDING, pending, pending
          .map(p -> "rotation " + p.requestId() + " is " + p.state().name().toLowerCase(java.util.Locale.ROOT))
          .orElse("no renew arrived: offline?"), took);
    } catch (RegistryException | MqttException | RuntimeException e) {
      return new DeviceOutcome(device, Result.FAILED, Optional.empty(), e.getClass().getSimpleName() + ": "
          + e.getMessage(), Duration.between(start, clock.instant()));
    }
  }
}
