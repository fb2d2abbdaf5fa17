package dev.holdfast.provisioning.service;

import dev.holdfast.provisioning.broker.BrokerReloadException;
import dev.holdfast.provisioning.broker.BrokerSync;
import dev.holdfast.provisioning.broker.CrlPublisher;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Keeps the broker's CRL fresh while the service runs: checks at start and then every
 * {@link #interval}, and rewrites it once less than half of its validity is left
 * ({@link CrlPublisher#refreshIfDue}), which also makes the broker re-read it.
 */
public final class CrlRefresher implements Runnable {
  private final CertificateAuthority ca;
  private final Registry registry;
  private final CrlPublisher publisher;
  private final Duration crlValidity;
  private final BrokerSync sync;

  /**
   * @param crlValidity {@code ca.crl-validity}: how long each CRL is valid
   * @param sync where a CRL the broker was not told about is recorded as pending (and retried)
   */
  public CrlRefresher(CertificateAuthority ca, Registry registry, CrlPublisher publisher, Duration crlValidity,
      BrokerSync sync) {
    this.ca = ca;
    this.registry = registry;
    this.publisher = publisher;
    this.crlValidity = crlValidity;
    this.sync = sync;
  }

  /** Often enough that a failed attempt is retried many times before the half-life margin runs out. */
  public Duration interval() {
    Duration tenth = crlValidity.dividedBy(10);
    Duration tenMinutes = Duration.ofMinutes(10);
    return tenth.compareTo(tenMinutes) < 0 ? tenth : tenMinutes;
  }

  /** Runs now and then every {@link #interval} on {@code scheduler}; does nothing without ca.crl-path. */
  public void schedule(ScheduledExecutorService scheduler) {
    if (publisher.path().isEmpty()) {
      Logger.info("no ca.crl-path: the CRL is not kept fresh by this process (use 'crl export' from a timer)");
      return;
    }
    long every = Math.max(1, interval().toSeconds());
    scheduler.scheduleWithFixedDelay(this, 0, every, TimeUnit.SECONDS);
  }

  @Override
  public void run() {
    try {
      publisher.refreshIfDue(ca, registry);
    } catch (BrokerReloadException e) {
      Logger.error("the CRL was refreshed but the broker was not told: {}", e.getMessage());
      try {
        sync.recordFailure("CRL refreshed", e);
      } catch (RegistryException r) {
        Logger.error("cannot record the pending broker reload: {}", r.getMessage());
      }
    } catch (RegistryException | IOException | RuntimeException e) {
      Logger.error("refreshing the CRL failed (the old one stays in place): {}", e.getMessage());
    }
  }
}
