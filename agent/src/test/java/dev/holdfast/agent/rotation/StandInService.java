package dev.holdfast.agent.rotation;

import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.ProvRequest;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.protocol.messages.RenewResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The provisioning side of a rotation as the protocol describes it, over the test fleet's CA: it
 * checks each request's signature against the key it has registered, answers a repeated renew with
 * the same answer, and registers the new key on the confirm. The real service is tested in its
 * module and, with this agent, end to end in {@code bench}; here it lets the state machine be
 * stopped and resumed at every step without a broker.
 */
final class StandInService implements ProvisioningChannel {
  final TestFleet fleet;
  final String deviceId;
  final Clock clock;
  final SecureRandom random = new SecureRandom();
  PublicKey registered;
  final Map<String, RenewResponse> answered = new HashMap<>();
  final Map<String, PublicKey> issuedKeys = new HashMap<>();
  final List<String> apiKeysIssued = new ArrayList<>();
  final List<String> log = new ArrayList<>();
  Optional<ProvError.Code> refuse = Optional.empty();
  Optional<ProvError.Code> refuseConfirm = Optional.empty();
  boolean silent;
  boolean forgeRenew;

  StandInService(TestFleet fleet, String deviceId, PublicKey registered, Clock clock) {
    this.fleet = fleet;
    this.deviceId = deviceId;
    this.registered = registered;
    this.clock = clock;
  }

  @Override
  public ProvAnswer exchange(ProvRequest request, Duration timeout) throws NoAnswer {
    log.add(request.getClass().getSimpleName() + " " + request.requestId());
    if (silent) {
      throw new NoAnswer("no answer within " + timeout);
    }
    if (refuse.isPresent()) {
      return new ProvError(refuse.get(), "refused by the test", Optional.of(request.requestId()));
    }
    return request instanceof RenewRequest r ? renew(r) : confirm((ConfirmRequest) request);
  }

  private ProvAnswer renew(RenewRequest r) {
    RenewResponse earlier = answered.get(r.requestId());
    if (earlier != null) {
      return earlier;
    }
    if (!r.signedBy(registered)) {
      return new ProvError(ProvError.Code.BAD_SIGNATURE, "not the registered key", Optional.of(r.requestId()));
    }
    PublicKey fresh;
    try {
      fresh = new JcaPKCS10CertificationRequest(r.csr()).getPublicKey();
    } catch (Exception e) {
      return new ProvError(ProvError.Code.CSR_REJECTED, e.getMessage(), Optional.of(r.requestId()));
    }
    Instant now = clock.instant();
    X509Certificate leaf = fleet.deviceCertificate(deviceId, fresh, now.plus(Duration.ofDays(30)));
    String apiKey = "hf_rotated" + (apiKeysIssued.size() + 1) + "Key0000000000000000000";
    apiKeysIssued.add(apiKey);
    byte[] sealed = SealedBox.seal(fresh, apiKey.getBytes(StandardCharsets.US_ASCII),
        RenewResponse.apiKeyAssociatedData(deviceId, forgeRenew ? "r-other" : r.requestId()), random);
    RenewResponse answer = RenewResponse.signed(r.requestId(), deviceId, List.of(leaf, fleet.issuing, fleet.root),
        "key-rotated-" + apiKeysIssued.size(), sealed, now.plus(Duration.ofDays(90)), TestFleet.SCOPES, now,
        fleet.issuingKey.getPrivate(), random);
    answered.put(r.requestId(), answer);
    issuedKeys.put(r.requestId(), fresh);
    return answer;
  }

  private ProvAnswer confirm(ConfirmRequest c) {
    if (refuseConfirm.isPresent()) {
      return new ProvError(refuseConfirm.get(), "refused by the test", Optional.of(c.requestId()));
    }
    PublicKey fresh = issuedKeys.get(c.requestId());
    if (fresh == null) {
      return new ProvError(ProvError.Code.NO_ROTATION, "no such rotation", Optional.of(c.requestId()));
    }
    if (!c.signedBy(fresh)) {
      return new ProvError(ProvError.Code.BAD_SIGNATURE, "not the new key", Optional.of(c.requestId()));
    }
    registered = fresh;
    return ConfirmResponse.signed(c.requestId(), deviceId, "01", "key-old", clock.instant(),
        fleet.issuingKey.getPrivate(), random);
  }
}
