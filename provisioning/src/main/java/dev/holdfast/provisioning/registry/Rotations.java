package dev.holdfast.provisioning.registry;

/** Each device's latest credential rotation, by device id. */
public interface Rotations extends Keyed<String, RotationRecord> {}
