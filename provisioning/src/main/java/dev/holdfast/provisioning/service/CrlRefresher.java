package dev.holdfast.provisioning.service;

import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Keeps the broker's CRL fresh while the service runs: checks at start and then every
 * {@link #interval}, and rewrites it once less than half of its validity is left
 * ({@link CertificateAuthority#refreshCrlIfDue}), which also makes the broker re-read it.
 */
public final class CrlRefresher implements Runnable {
  private final CertificateAuthority ca;

  public CrlRefresher(CertificateAuthority ca) {
    this.ca = ca;
  }

  /** Often enough that a failed attempt is retried many times before the half-life margin runs out. */
  public Duration interval() {
    Duration tenth = ca.settings().crlValidity().dividedBy(10);
    Duration tenMinutes = Duration.ofMinutes(10);
    return tenth.compareTo(tenMinutes) < 0 ? tenth : tenMinutes;
  }

  /** Runs now and then every {@link #interval} on {@code scheduler}; does nothing without ca.crl-path. */
  public void schedule(ScheduledExecutorService scheduler) {
    if (ca.settings().crlPath().isEmpty()) {
      Logger.info("no ca.crl-path: the CRL is not kept fresh by this process (use 'crl export' from a timer)");
      return;
    }
    long every = Math.max(1, interval().toSeconds());
    scheduler.scheduleWithFixedDelay(this, 0, every, TimeUnit.SECONDS);
  }

  @Override
  public void run() {
    try {
      ca.refreshCrlIfDue();
    } catch (RegistryException | IOException | RuntimeException e) {
      Logger.error("refreshing the CRL failed (the old one stays in place): {}", e.getMessage());
    }
  }
}
