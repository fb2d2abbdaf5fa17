package dev.holdfast.provisioning.broker;

import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Brings the broker up to date with the registry: writes what it reads (CRL, ACL), sends one
 * SIGHUP, then closes the open sessions of revoked devices (a CRL only stops new TLS handshakes and
 * an ACL deny leaves the connection up), and only then clears the registry's {@link PendingReload},
 * unless a change was recorded after the sync read it (that one stays pending). A failed step
 * leaves the pending record with the reason, for {@code devices show}, {@code broker reload} and
 * {@code serve}, which retries it ({@link #schedule}).
 */
public final class BrokerSync {
  /** Writes the broker's files; true when it wrote any (then the broker is signalled). */
  @FunctionalInterface
  public interface Files {
    boolean write() throws IOException, RegistryException, AclCheck.InvalidAclException;
  }

  /** Closes the open MQTT session of a device, if it has one. */
  @FunctionalInterface
  public interface SessionCutter {
    void cut(String deviceId) throws IOException, RegistryException;
  }

  /** What a sync did: whether files were written and signalled, and whose sessions were closed. */
  public record Outcome(boolean signalled, List<String> cut, List<String> notCut) {
    public Outcome {
      cut = List.copyOf(cut);
      notCut = List.copyOf(notCut);
    }
  }

  private final Registry registry;
  private final Reload reload;
  private final Optional<SessionCutter> cutter;
  private final Clock clock;

  /** @param cutter empty when no broker URI is configured: sessions are then left to the ACL's deny */
  public BrokerSync(Registry registry, Reload reload, Optional<SessionCutter> cutter, Clock clock) {
    this.registry = registry;
    this.reload = reload;
    this.cutter = cutter;
    this.clock = clock;
  }

  /**
   * Writes {@code files}, signals the broker and cuts the sessions the pending record names.
   *
   * @param what the change, recorded as pending if the broker does not take it
   * @throws BrokerReloadException the broker was not signalled or a session not cut; recorded as pending
   */
  public Outcome sync(String what, Files files)
      throws BrokerReloadException, IOException, RegistryException, AclCheck.InvalidAclException {
    Optional<PendingReload> taken = registry.read(tx -> tx.brokerReloads().pending());
    Set<String> toCut = taken.map(PendingReload::sessionsToCut).orElse(Set.of());
    boolean wrote = files.write();
    if (wrote) {
      try {
        reload.run();
      } catch (BrokerReloadException e) {
        recordFailure(what, e);
        throw e;
      }
    }
    List<String> cut = new ArrayList<>();
    List<String> notCut = new ArrayList<>();
    for (String device : toCut) {
      if (cutter.isEmpty()) {
        notCut.add(device);
        continue;
      }
      try {
        cutter.get().cut(device);
        cut.add(device);
      } catch (IOException e) {
        BrokerReloadException failed = new BrokerReloadException(BrokerReloadException.Reason.SESSION_NOT_CUT,
            "the broker re-read its CRL and ACL, but the open session of " + device + " was not closed: "
                + e.getMessage() + "; the ACL denies it every topic meanwhile; check broker.mqtt-uri and run "
                + "'holdfast-provisioning broker reload' (serve retries it)");
        recordFailure(what, failed);
        throw failed;
      }
    }
    registry.write(tx -> {
      // A change committed since the files were written may be missing from them: it stays pending
      // for the next sync (its own caller's, or serve's retry).
      if (tx.brokerReloads().pending().equals(taken)) {
        tx.brokerReloads().clear();
      }
      return null;
    });
    return new Outcome(wrote, cut, notCut);
  }

  /** Records that the broker has not taken {@code what}, and why; the reason is what the operator sees. */
  public void recordFailure(String what, BrokerReloadException e) throws RegistryException {
    registry.write(tx -> {
      tx.brokerReloads().put(PendingReload.add(tx.brokerReloads().pending(), clock.instant(), what, Set.of())
          .failed(e.getMessage()));
      return null;
    });
  }

  /** Syncs when something is pending; a failure is logged and stays pending for the next run. */
  public void retryIfPending(Files files) {
    try {
      Optional<PendingReload> pending = registry.read(tx -> tx.brokerReloads().pending());
      if (pending.isEmpty()) {
        return;
      }
      Outcome done = sync(pending.get().what(), files);
      Logger.info("the broker took the pending change ({}); sessions closed: {}", pending.get().what(), done.cut());
    } catch (BrokerReloadException e) {
      Logger.error("the broker has still not taken the pending change: {}", e.getMessage());
    } catch (IOException | RegistryException | AclCheck.InvalidAclException | RuntimeException e) {
      Logger.error("retrying the pending broker reload failed: {}", e.getMessage());
    }
  }

  /** Runs {@link #retryIfPending} now and then every {@code every} on {@code scheduler}. */
  public void schedule(ScheduledExecutorService scheduler, Duration every, Files files) {
    long millis = Math.max(1, every.toMillis());
    scheduler.scheduleWithFixedDelay(() -> retryIfPending(files), 0, millis, TimeUnit.MILLISECONDS);
  }
}
