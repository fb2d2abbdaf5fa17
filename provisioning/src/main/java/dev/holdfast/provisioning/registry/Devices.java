package dev.holdfast.provisioning.registry;

import dev.holdfast.protocol.messages.DeviceIds;
import java.util.random.RandomGenerator;

/** The fleet's devices, by id. */
public interface Devices extends Keyed<String, Device> {
  /** A new random device id ({@link DeviceIds#random}) that no device has. */
  default String newId(RandomGenerator random) throws RegistryException {
    String id;
    do {
      id = DeviceIds.random(random);
    } while (find(id).isPresent());
    return id;
  }
}
