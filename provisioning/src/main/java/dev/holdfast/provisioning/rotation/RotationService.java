package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.ProvRequest;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.broker.BrokerReloadException;
import dev.holdfast.provisioning.broker.BrokerSync;
import dev.holdfast.provisioning.broker.CrlPublisher;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Serves rotation requests from devices: parses the payload that arrived on a device's {@code
 * prov/req}, checks that it speaks for that device, runs the renew or confirm in one registry
 * transaction, and, when certificates were revoked, publishes the new CRL (and SIGHUPs the broker)
 * after the commit and before the answer goes out, so a device told "confirmed" is already refused
 * with its old certificate. The device is told a stable code; the log says more (never a secret).
 * {@link #recover} serves the renew of a device whose certificate expired while it was offline
 * ({@code POST /v1/recover}): the same renew, within {@link RotationSettings#recoveryWindow}.
 */
public final class RotationService {
  private final Registry registry;
  private final CrlPublisher crls;
  private final BrokerSync sync;
  private final Clock clock;
  private final Duration recoveryWindow;
  private final Renewal renewal;
  private final Confirmation confirmation;

  public RotationService(Registry registry, CertificateAuthority ca, ApiKeyService keys, AnswerSigner signer,
      CrlPublisher crls, BrokerSync sync, RotationSettings settings, Clock clock, SecureRandom random) {
    this.registry = registry;
    this.crls = crls;
    this.sync = sync;
    this.clock = clock;
    this.recoveryWindow = settings.recoveryWindow();
    this.renewal = new Renewal(ca, keys, signer, settings, random);
    this.confirmation = new Confirmation(ca, signer, settings);
  }

  /** The answer to {@code payload}, which arrived on the {@code prov/req} topic of {@code topicDevice}. */
  public ProvAnswer answer(String topicDevice, byte[] payload) {
    ProvRequest request;
    try {
      request = ProvRequest.parse(payload);
    } catch (MessageException | RuntimeException e) {
      Logger.warn("rotation request from {} refused: {}", topicDevice, e.getMessage());
      return new ProvError(ProvError.Code.BAD_REQUEST, e.getMessage(), Optional.empty());
    }
    if (!request.deviceId().equals(topicDevice)) {
      Logger.warn("rotation request {} on the topic of {} speaks for {}: refused", request.requestId(), topicDevice,
          request.deviceId());
      return new ProvError(ProvError.Code.BAD_REQUEST,
          "the request names device " + request.deviceId() + " but came from " + topicDevice,
          Optional.of(request.requestId()));
    }
    return answer(request, topicDevice, Optional.empty());
  }

  /**
   * The answer to {@code payload}, posted to {@code POST /v1/recover}: a renew only (the confirm goes
   * over MQTT with the new certificate), signed by the device's last key, whose certificate may have
   * expired at most {@link RotationSettings#recoveryWindow} ago.
   */
  public ProvAnswer recover(byte[] payload) {
    ProvRequest request;
    try {
      request = ProvRequest.parse(payload);
    } catch (MessageException | RuntimeException e) {
      Logger.warn("recovery request refused: {}", e.getMessage());
      return new ProvError(ProvError.Code.BAD_REQUEST, e.getMessage(), Optional.empty());
    }
    if (!(request instanceof RenewRequest)) {
      Logger.warn("recovery request {} of {} is no renew: refused", request.requestId(), request.deviceId());
      return new ProvError(ProvError.Code.BAD_REQUEST, "a recovery is a renew request; confirm over MQTT with the "
          + "new certificate", Optional.of(request.requestId()));
    }
    Logger.info("recovery request {} of {} over HTTPS", request.requestId(), request.deviceId());
    return answer(request, request.deviceId(), Optional.of(recoveryWindow));
  }

  private ProvAnswer answer(ProvRequest request, String topicDevice, Optional<Duration> window) {
    Optional<String> id = Optional.of(request.requestId());
    try {
      Outcome outcome = registry.write(tx -> run(tx, request, window));
      outcome.crl().ifPresent(crl -> publish(crl, topicDevice));
      Logger.info("rotation {} of {}: {}", request.requestId(), topicDevice, outcome.answer().getClass().getSimpleName());
      return outcome.answer();
    } catch (Refused r) {
      Logger.warn("rotation {} of {} refused ({}): {}", request.requestId(), topicDevice, r.refusal.code.wire,
          r.refusal.getMessage());
      return new ProvError(r.refusal.code, r.refusal.getMessage(), id);
    } catch (RegistryException e) {
      Logger.error("rotation {} of {} failed, nothing changed: {}", request.requestId(), topicDevice, e.getMessage());
      return new ProvError(ProvError.Code.UNAVAILABLE,
          "the provisioning service cannot write its registry right now; nothing changed; retry later", id);
    } catch (RuntimeException e) {
      Logger.error(e, "rotation {} of {} failed, nothing changed", request.requestId(), topicDevice);
      return new ProvError(ProvError.Code.INTERNAL, "internal error; nothing changed; retry later", id);
    }
  }

  private Outcome run(dev.holdfast.provisioning.registry.RegistryTx tx, ProvRequest request,
      Optional<Duration> window) throws RegistryException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    try {
      if (request instanceof RenewRequest r) {
        return renewal.renew(tx, r, now, window);
      }
      return confirmation.confirm(tx, (ConfirmRequest) request, now);
    } catch (Registered.Refusal refusal) {
      throw new Refused(refusal);
    }
  }

  private void publish(java.security.cert.X509CRL crl, String device) {
    try {
      crls.publish(crl);
    } catch (BrokerReloadException e) {
      Logger.error("the CRL after a rotation was written but the broker was not told: {}", e.getMessage());
      try {
        sync.recordFailure("CRL after the rotation of " + device, e);
      } catch (RegistryException r) {
        Logger.error("cannot record the pending broker reload: {}", r.getMessage());
      }
    } catch (IOException | RuntimeException e) {
      Logger.error("the CRL after a rotation could not be written ({}); the broker still accepts the revoked "
          + "certificate until the CRL is written: run 'holdfast-provisioning crl export'", e.getMessage());
    }
  }

  /** Carries a refusal out of the transaction (which then rolls back: a refusal wrote nothing). */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Registered.Refusal refusal;

    Refused(Registered.Refusal refusal) {
      super(refusal.getMessage(), null, false, false);
      this.refusal = refusal;
    }
  }
}
