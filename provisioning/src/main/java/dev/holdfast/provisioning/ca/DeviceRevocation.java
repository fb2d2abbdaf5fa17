package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import java.util.List;

/**
 * What revoking a device (or some of its credentials) did, inside one registry transaction: the
 * certificates and the new CRL that lists them, and the API keys revoked with them.
 */
public record DeviceRevocation(String deviceId, Revocation certificates, List<ApiKeyRecord> apiKeys) {
  public DeviceRevocation {
    apiKeys = List.copyOf(apiKeys);
  }
}
