package dev.holdfast.provisioning.testing;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;

/** A device on the factory bench: its own key, a CSR for it, and what it does with the answer. */
public final class BenchDevice {
  public final KeyPair keys;
  public final byte[] csr;

  public BenchDevice(SecureRandom random) {
    this.keys = P256.generate(random);
    this.csr = Csrs.valid(keys);
  }

  public EnrollRequest request(String token) {
    return new EnrollRequest(Secret.copyOf(token.getBytes(StandardCharsets.UTF_8)), csr);
  }

  public String requestJson(String token) {
    return request(token).toJson();
  }

  /** Opens the sealed API key as the device would (only its private key can). */
  public String apiKey(EnrollResponse response) throws Exception {
    return new String(SealedBox.open(keys.getPrivate(), keys.getPublic(), response.apiKeySealed(),
        EnrollResponse.apiKeyAssociatedData(response.deviceId())), StandardCharsets.US_ASCII);
  }
}
