package dev.holdfast.provisioning.rotation;

import dev.holdfast.common.time.Durations;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Labels;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which devices a {@code fleet rotate} campaign rotates: every active device, those carrying a
 * label, or those whose current certificate expires within a time of now. Its {@link #name} names
 * the campaign in the audit log, and {@link #parse} reads it back, so that a device coming back
 * online can be matched against the campaigns still open ({@link ReturningDevices}).
 */
public sealed interface FleetSelection {
  /** Every active device. */
  record All() implements FleetSelection {
    @Override
    public String name() {
      return "all";
    }

    @Override
    public boolean selects(RegistryTx tx, Device d, Instant now) {
      return d.state() == Device.State.ACTIVE;
    }
  }

  /** The active devices carrying {@code label}. */
  record Labelled(String label) implements FleetSelection {
    public Labelled {
      Labels.check(label);
    }

    @Override
    public String name() {
      return "label " + label;
    }

    @Override
    public boolean selects(RegistryTx tx, Device d, Instant now) {
      return d.state() == Device.State.ACTIVE && d.hasLabel(label);
    }
  }

  /** The active devices whose current certificate expires before now plus {@code within}. */
  record ExpiringWithin(Duration within) implements FleetSelection {
    @Override
    public String name() {
      return "expiring-within " + Durations.format(within);
    }

    @Override
    public boolean selects(RegistryTx tx, Device d, Instant now) throws RegistryException {
      return expiresBefore(d, currentCertificate(tx, d), now.plus(within));
    }
  }

  /** What the campaign is called in the audit log ({@code fleet.rotate.started}). */
  String name();

  /** Whether {@code d} is one of the selected devices at {@code now}. */
  boolean selects(RegistryTx tx, Device d, Instant now) throws RegistryException;

  /** The selected devices' ids at {@code now}, sorted. */
  default List<String> devices(RegistryTx tx, Instant now) throws RegistryException {
    TreeSet<String> out = new TreeSet<>();
    for (Device d : tx.devices().all()) {
      if (selects(tx, d, now)) {
        out.add(d.id());
      }
    }
    return new ArrayList<>(out);
  }

  /** The selection a campaign's {@link #name} stands for; empty for a name no selection gives. */
  static Optional<FleetSelection> parse(String name) {
    try {
      if (name.equals("all")) {
        return Optional.of(new All());
      }
      if (name.startsWith("label ")) {
        return Optional.of(new Labelled(name.substring("label ".length())));
      }
      if (name.startsWith("expiring-within ")) {
        return Optional.of(new ExpiringWithin(Durations.parse(name.substring("expiring-within ".length()))));
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The device's current certificate, if it has one. */
  static Optional<CertificateRecord> currentCertificate(RegistryTx tx, Device d) throws RegistryException {
    return d.currentSerial().isPresent() ? tx.certificates().find(d.currentSerial().get()) : Optional.empty();
  }

  /** Whether {@code d} is active and its current certificate {@code cert} expires before {@code before}. */
  static boolean expiresBefore(Device d, Optional<CertificateRecord> cert, Instant before) {
    return d.state() == Device.State.ACTIVE && cert.isPresent() && cert.get().notAfter().isBefore(before);
  }
}
