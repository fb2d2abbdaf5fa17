package dev.holdfast.provisioning.registry;

import dev.holdfast.protocol.crypto.Secret;
import java.util.Optional;

/** Named secrets the services keep sealed: CA keys, peppers, service credentials, the upstream token. */
public interface Secrets {
  Optional<Secret> find(String name) throws RegistryException;

  void put(String name, Secret value) throws RegistryException;
}
