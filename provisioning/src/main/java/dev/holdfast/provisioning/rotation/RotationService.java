package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.ProvRequest;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.broker.BatchedSync;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.service.ProvisioningResponder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * Serves rotation requests from devices: parses the payload that arrived on a device's {@code
 * prov/req}, checks that it speaks for that device, runs the renew or confirm in one registry
 * transaction, and, when certificates were revoked (recorded as pending for the broker in that
 * transaction), answers only once the broker has taken the change ({@link BatchedSync}: the CRL
 * rewritten and the broker signalled once for all the confirms committed before), so a device told
 * "confirmed" is already refused with its old certificate. A service killed in between syncs the
 * pending change when it starts again, and the device, which asks again, gets the stored answer.
 * The device is told a stable code; the log says more (never a secret). {@link #recover} serves the
 * renew of a device whose certificate expired while it was offline ({@code POST /v1/recover}): the
 * same renew, within {@link RotationSettings#recoveryWindow}.
 */
public final class RotationService implements ProvisioningResponder.Answers {
  /** What rotations leave pending for the broker; one text however many rotations it stands for. */
  public static final String BROKER_CHANGE = "certificates replaced by rotations revoked";

  private final Registry registry;
  private final BatchedSync broker;
  private final Clock clock;
  private final Duration recoveryWindow;
  private final Renewal renewal;
  private final Confirmation confirmation;
  private final Consumer<ServiceStep> afterStep;

  /**
   * @param broker where a change the broker must take is synced before the answer goes out
   * @param afterStep told each {@link ServiceStep} as it is passed (the crash harness's hook; a no-op otherwise)
   */
  public RotationService(Registry registry, CertificateAuthority ca, ApiKeyService keys, AnswerSigner signer,
      BatchedSync broker, RotationSettings settings, Clock clock, SecureRandom random,
      Consumer<ServiceStep> afterStep) {
    this.registry = registry;
    this.broker = broker;
    this.clock = clock;
    this.recoveryWindow = settings.recoveryWindow();
    this.renewal = new Renewal(ca, keys, signer, settings, random);
    this.confirmation = new Confirmation(ca, signer, settings);
    this.afterStep = afterStep;
  }

  /**
   * Answers {@code payload}, which arrived on the {@code prov/req} topic of {@code topicDevice}:
   * {@code reply} is called once, on this thread or, when the broker must take a change first, on
   * the broker sync's.
   */
  @Override
  public void answer(String topicDevice, byte[] payload, Consumer<ProvAnswer> reply) {
    checked(topicDevice, payload, reply).ifPresent(request -> deliver(answer(request, topicDevice, Optional.empty()),
        reply));
  }

  /**
   * Answers requests that waited together: those that parse and speak for their topic's device run
   * in one registry transaction (one commit for all: under load the commit's fsyncs, not the work,
   * bounded the one answering thread); when one of them is refused or fails, nothing of theirs is
   * written and each runs on its own, as {@link #answer(String, byte[], Consumer)} runs it.
   */
  @Override
  public void answerAll(List<ProvisioningResponder.Asked> asked) {
    List<Checked> batch = new ArrayList<>();
    for (ProvisioningResponder.Asked a : asked) {
      checked(a.deviceId(), a.payload(), a.reply()).ifPresent(r -> batch.add(new Checked(r, a.deviceId(), a.reply())));
    }
    Optional<List<Outcome>> together = batch.size() > 1 ? together(batch) : Optional.empty();
    for (int i = 0; i < batch.size(); i++) {
      Checked c = batch.get(i);
      deliver(together.isPresent() ? together.get().get(i) : answer(c.request(), c.topicDevice(), Optional.empty()),
          c.reply());
    }
  }

  /** A request that parsed and speaks for the device on whose topic it came. */
  private record Checked(ProvRequest request, String topicDevice, Consumer<ProvAnswer> reply) {}

  /** {@code batch} in one transaction: every outcome, or empty when one was refused or the commit failed. */
  private Optional<List<Outcome>> together(List<Checked> batch) {
    List<Outcome> outcomes;
    try {
      outcomes = registry.write(tx -> {
        List<Outcome> out = new ArrayList<>();
        for (Checked c : batch) {
          out.add(run(tx, c.request(), Optional.empty()));
        }
        return out;
      });
    } catch (RegistryException | RuntimeException e) {
      Logger.debug("{} rotation requests did not commit together ({}); answering each on its own", batch.size(),
          e.getClass().getSimpleName());
      return Optional.empty();
    }
    for (int i = 0; i < batch.size(); i++) {
      committed(batch.get(i).request(), batch.get(i).topicDevice(), outcomes.get(i));
    }
    return Optional.of(outcomes);
  }

  /** The request in {@code payload} if it speaks for {@code topicDevice}; else {@code reply} was told why. */
  private static Optional<ProvRequest> checked(String topicDevice, byte[] payload, Consumer<ProvAnswer> reply) {
    Optional<ProvRequest> parsed = parsed(payload, "rotation request from " + topicDevice, reply);
    if (parsed.isEmpty()) {
      return parsed;
    }
    ProvRequest request = parsed.get();
    if (!request.deviceId().equals(topicDevice)) {
      Logger.warn("rotation request {} on the topic of {} speaks for {}: refused", request.requestId(), topicDevice,
          request.deviceId());
      reply.accept(new ProvError(ProvError.Code.BAD_REQUEST,
          "the request names device " + request.deviceId() + " but came from " + topicDevice,
          Optional.of(request.requestId())));
      return Optional.empty();
    }
    return parsed;
  }

  /**
   * Whether {@code pending} holds nothing but what rotations leave (old certificates revoked): then
   * the broker needs a new CRL but not a new ACL, which no rotation changes.
   */
  public static boolean onlyRotations(Optional<PendingReload> pending) {
    return pending.map(p -> p.what().equals(BROKER_CHANGE) && p.sessionsToCut().isEmpty()).orElse(true);
  }

  /** {@link #answer(String, byte[], Consumer)}, waiting for the answer. */
  public ProvAnswer answer(String topicDevice, byte[] payload) {
    CompletableFuture<ProvAnswer> answer = new CompletableFuture<>();
    answer(topicDevice, payload, answer::complete);
    return answer.join();
  }

  /**
   * The answer to {@code payload}, posted to {@code POST /v1/recover}: a renew only (the confirm goes
   * over MQTT with the new certificate), signed by the device's last key, whose certificate may have
   * expired at most {@link RotationSettings#recoveryWindow} ago. Waits for the answer.
   */
  public ProvAnswer recover(byte[] payload) {
    CompletableFuture<ProvAnswer> answer = new CompletableFuture<>();
    Optional<ProvRequest> parsed = parsed(payload, "recovery request", answer::complete);
    if (parsed.isEmpty()) {
      return answer.join();
    }
    ProvRequest request = parsed.get();
    if (request instanceof RenewRequest) {
      Logger.info("recovery request {} of {} over HTTPS", request.requestId(), request.deviceId());
      deliver(answer(request, request.deviceId(), Optional.of(recoveryWindow)), answer::complete);
    } else {
      Logger.warn("recovery request {} of {} is no renew: refused", request.requestId(), request.deviceId());
      answer.complete(new ProvError(ProvError.Code.BAD_REQUEST, "a recovery is a renew request; confirm over MQTT "
          + "with the new certificate", Optional.of(request.requestId())));
    }
    return answer.join();
  }

  /** The request in {@code payload}, or empty when it does not parse (then {@code reply} was told why). */
  private static Optional<ProvRequest> parsed(byte[] payload, String what, Consumer<ProvAnswer> reply) {
    try {
      return Optional.of(ProvRequest.parse(payload));
    } catch (MessageException | RuntimeException e) {
      Logger.warn("{} refused: {}", what, e.getMessage());
      reply.accept(new ProvError(ProvError.Code.BAD_REQUEST, e.getMessage(), Optional.empty()));
      return Optional.empty();
    }
  }

  private void deliver(Outcome outcome, Consumer<ProvAnswer> reply) {
    if (!outcome.brokerFirst()) {
      reply.accept(outcome.answer());
      return;
    }
    broker.afterSync(() -> {
      afterStep.accept(ServiceStep.BROKER_SYNCED);
      reply.accept(outcome.answer());
    });
  }

  private Outcome answer(ProvRequest request, String topicDevice, Optional<Duration> window) {
    Optional<String> id = Optional.of(request.requestId());
    try {
      Outcome outcome = registry.write(tx -> run(tx, request, window));
      committed(request, topicDevice, outcome);
      return outcome;
    } catch (Refused r) {
      Logger.warn("rotation {} of {} refused ({}): {}", request.requestId(), topicDevice, r.refusal.code.wire,
          r.refusal.getMessage());
      return Outcome.answer(new ProvError(r.refusal.code, r.refusal.getMessage(), id));
    } catch (RegistryException e) {
      Logger.error("rotation {} of {} failed, nothing changed: {}", request.requestId(), topicDevice, e.getMessage());
      return Outcome.answer(new ProvError(ProvError.Code.UNAVAILABLE,
          "the provisioning service cannot write its registry right now; nothing changed; retry later", id));
    } catch (RuntimeException e) {
      Logger.error(e, "rotation {} of {} failed, nothing changed", request.requestId(), topicDevice);
      return Outcome.answer(new ProvError(ProvError.Code.INTERNAL, "internal error; nothing changed; retry later", id));
    }
  }

  /** After {@code request}'s commit: the crash harness's step, and the log line. */
  private void committed(ProvRequest request, String topicDevice, Outcome outcome) {
    afterStep.accept(request instanceof RenewRequest ? ServiceStep.RENEW_COMMITTED : ServiceStep.CONFIRM_COMMITTED);
    Logger.info("rotation {} of {}: {}", request.requestId(), topicDevice, outcome.answer().getClass().getSimpleName());
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
