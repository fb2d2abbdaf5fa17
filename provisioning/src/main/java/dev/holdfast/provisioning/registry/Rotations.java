package dev.holdfast.provisioning.registry;

/** Each device's latest credential rotation, by device id. */
public interface Rotations extends Keyed<String, RotationRecord> {
  /**
   * How many times a fleet campaign was begun or finished: a cache of the open campaigns (which the
   * audit log holds) is current while this number is the one it was read with.
   */
  long campaignChanges() throws RegistryException;

  /** Counts one more begun or finished campaign, in the transaction that records it. */
  void campaignChanged() throws RegistryException;
}
