package dev.holdfast.provisioning.testing;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.protocol.messages.RenewResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A device rotating its credentials by the protocol alone: its current key, the new key it asks a
 * certificate for, and the messages it sends.
 */
public final class RotatingDevice {
  public final String id;
  public final KeyPair current;
  public final KeyPair next;
  private final SecureRandom random;

  public RotatingDevice(String id, KeyPair current, SecureRandom random) {
    this.id = id;
    this.current = current;
    this.next = P256.generate(random);
    this.random = random;
  }

  public RenewRequest renew(String requestId, Instant at) {
    return RenewRequest.signed(requestId, id, Csrs.valid(next), at, current.getPrivate(), random);
  }

  public byte[] renewBytes(String requestId, Instant at) {
    return bytes(renew(requestId, at).toJson());
  }

  public byte[] confirmBytes(String requestId, String serial, Instant at) {
    return bytes(ConfirmRequest.signed(requestId, id, serial, at, next.getPrivate(), random).toJson());
  }

  /** The new API key, opened with the new private key as the device would. */
  public String apiKey(RenewResponse r) throws Exception {
    return new String(SealedBox.open(next.getPrivate(), next.getPublic(), r.apiKeySealed(),
        RenewResponse.apiKeyAssociatedData(r.deviceId(), r.requestId())), StandardCharsets.US_ASCII);
  }

  public static ProvAnswer reparsed(ProvAnswer a) throws MessageException {
    return ProvAnswer.parse(bytes(a.toJson()));
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
