package dev.holdfast.provisioning.registry;

import java.util.ArrayList;
import java.util.List;

/** Devices' API keys (their HMACs and state), by public id. */
public interface ApiKeys extends Keyed<String, ApiKeyRecord> {
  /** The keys of one device. */
  default List<ApiKeyRecord> ofDevice(String deviceId) throws RegistryException {
    List<ApiKeyRecord> out = new ArrayList<>();
    for (ApiKeyRecord k : all()) {
      if (k.deviceId().equals(deviceId)) {
        out.add(k);
      }
    }
    return out;
  }
}
