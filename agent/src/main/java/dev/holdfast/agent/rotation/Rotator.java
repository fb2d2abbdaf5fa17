package dev.holdfast.agent.rotation;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.Csr;
import dev.holdfast.agent.identity.EnrollmentException;
import dev.holdfast.agent.identity.PendingKey;
import dev.holdfast.common.retry.Backoff;
import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.ProvRequest;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.vault.VaultException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;

/**
 * The device's rotation state machine (docs/rotation.md). Everything runs on its own single thread
 * (the injected scheduler), one {@link RotationStep} at a time, each persisted by the {@link
 * RotationStore} before the next begins: new key -> renew request signed by the current key ->
 * checked new set stored as pending -> switched (new set current, link reconnected with it) ->
 * confirm signed by the new key -> old material dropped. A failed attempt is retried after a capped
 * backoff; a refusal falls back to the old set. At start an unfinished rotation resumes from its step.
 * A device whose certificate has expired (the broker refuses it) sends its renew over the recovery
 * channel instead ({@code POST /v1/recover}, {@link HttpsRecovery}) and confirms over MQTT as usual.
 */
public final class Rotator {
  static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(30);
  /** Connection attempts with the new certificate before the old set is taken back. */
  static final int SWITCH_ATTEMPTS = 3;
  /** The shortest wait after a failure, so a backoff of 0 (full jitter) is never a tight loop. */
  static final Duration FLOOR = Duration.ofSeconds(5);

  /** How the last result of a rotation that ended with its confirm begins. */
  static final String ROTATED = "rotated: ";
  /** In the last result when only a bench visit helps: the recovery window closed, or there is none. */
  public static final String NEW_TOKEN_NEEDED = "a new enrollment token is needed";

  private enum Progress { NEXT, WAIT, DONE }

  private final RotationStore store;
  private final ProvisioningChannel channel;
  private final Optional<ProvisioningChannel> recovery;
  private final LinkControl link;
  private final Backoff backoff;
  private final Duration answerTimeout;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final SecureRandom secure;
  private final RandomGenerator random;
  private final Consumer<RotationStep> afterStep;
  // only touched on the scheduler's thread
  private ScheduledFuture<?> timer;
  private volatile Optional<Instant> nextAutomatic = Optional.empty();
  private volatile boolean rotating;

  /**
   * @param recovery where the renew goes once the certificate has expired ({@code provisioning.url})
   * @param answerTimeout how long to wait for the service's answer before asking again after the backoff
   * @param afterStep told each step once it is persisted (the crash harness's hook; a no-op otherwise)
   */
  public Rotator(RotationStore store, ProvisioningChannel channel, Optional<ProvisioningChannel> recovery,
      LinkControl link, Backoff backoff, Duration answerTimeout, ScheduledExecutorService scheduler, Clock clock,
      SecureRandom secure, RandomGenerator random, Consumer<RotationStep> afterStep) {
    this.store = store;
    this.channel = channel;
    this.recovery = recovery;
    this.link = link;
    this.backoff = backoff;
    this.answerTimeout = answerTimeout;
    this.scheduler = scheduler;
    this.clock = clock;
    this.secure = secure;
    this.random = random;
    this.afterStep = afterStep;
  }

  /** Resumes an unfinished rotation, or schedules the next automatic one. */
  public void start() {
    onThread(() -> {
      RotationRecord r = store.record();
      if (r.step() == RotationStep.IDLE) {
        scheduleAutomatic();
      } else {
        Logger.info("resuming rotation {} at step {}", r.requestId().orElse("?"), r.step());
        advance(Trigger.RESUME);
      }
    });
  }

  /** Asks for a rotation; an automatic trigger waits out the backoff after a failure, an explicit one does not. */
  public void trigger(Trigger why) {
    onThread(() -> {
      RotationRecord r = store.record();
      Instant now = clock.instant();
      if (!why.explicit && r.nextAttempt().filter(now::isBefore).isPresent()) {
        Logger.info("rotation asked for ({}) but held off until {} after a failure", why, r.nextAttempt().get());
        return;
      }
      if (r.step() == RotationStep.IDLE) {
        Logger.info("rotation starting ({})", why);
      }
      advance(why);
    });
  }

  /**
   * A signed {@code rotate} command issued at {@code issuedAt}: a rotation now, unless one already
   * ended confirmed since then (a command that reached the device late, or a second operator's
   * for the same need), which would only rotate twice.
   */
  public void command(Instant issuedAt) {
    onThread(() -> {
      RotationRecord r = store.record();
      if (r.rotatedSince(issuedAt)) {
        Logger.info("rotate command issued at {}: the credentials were already rotated at {}; nothing to do",
            issuedAt, r.lastResultAt().orElseThrow());
        return;
      }
      trigger(Trigger.COMMAND);
    });
  }

  /** Whether a rotation is under way (for the status LED). */
  public boolean rotating() {
    return rotating;
  }

  /** When the next automatic rotation is due, once known. */
  public Optional<Instant> nextAutomatic() {
    return nextAutomatic;
  }

  private void advance(Trigger why) throws VaultException {
    cancelTimer();
    while (true) {
      RotationRecord r = store.record();
      rotating = r.step() != RotationStep.IDLE;
      Progress p = switch (r.step()) {
        case IDLE -> begin(r);
        case KEY_PENDING -> sign(r);
        case REQUESTED -> request(r);
        case ISSUED -> switchOver(r);
        case SWITCHED -> confirm(r);
      };
      if (p != Progress.NEXT) {
        rotating = store.record().step() != RotationStep.IDLE;
        return;
      }
      afterStep.accept(store.record().step());
    }
  }

  private Progress begin(RotationRecord r) throws VaultException {
    if (store.current().isEmpty()) {
      Logger.warn("no rotation: the device is not enrolled");
      return Progress.DONE;
    }
    byte[] id = new byte[8];
    secure.nextBytes(id);
    String requestId = "r-" + HexFormat.of().formatHex(id);
    store.began(r, requestId, secure, clock.instant());
    Logger.info("rotation {}: new key generated", requestId);
    return Progress.NEXT;
  }

  private Progress sign(RotationRecord r) throws VaultException {
    Optional<PendingKey> key = store.newKey();
    CredentialSet current = store.current().orElseThrow();
    if (key.isEmpty()) {
      return fallBack(r, "the new key is missing from the vault");
    }
    RenewRequest request = RenewRequest.signed(r.requestId().orElseThrow(), current.deviceId(),
        Csr.of(key.get(), secure), clock.instant(), current.privateKey(), secure);
    store.requested(r, request.toJson());
    return Progress.NEXT;
  }

  private Progress request(RotationRecord r) throws VaultException {
    CredentialSet current = store.current().orElseThrow();
    ProvisioningChannel via = channel;
    if (current.certificateExpiredAt(clock.instant())) {
      if (recovery.isEmpty()) {
        return fallBack(r, NEW_TOKEN_NEEDED + ": the certificate expired at " + current.certificateNotAfter()
            + " and provisioning.url is not set, so the device cannot recover over HTTPS (set it and restart, or "
            + "enroll the device again)");
      }
      Logger.info("rotation {}: the certificate expired at {}; renewing over HTTPS (provisioning.url)",
          r.requestId().orElse("?"), current.certificateNotAfter());
      via = recovery.get();
    }
    ProvAnswer answer;
    try {
      answer = via.exchange(ProvRequest.parse(r.request().orElseThrow().getBytes(StandardCharsets.UTF_8)),
          answerTimeout);
    } catch (ProvisioningChannel.NoAnswer e) {
      return retry(r, "no answer to the renew: " + e.getMessage());
    } catch (MessageException e) {
      return fallBack(r, "the stored renew request does not parse: " + e.getMessage());
    }
    if (answer instanceof ProvError e) {
      return refused(r, "renew", e);
    }
    if (!(answer instanceof RenewResponse renewed)) {
      return retry(r, "the service answered the renew with " + answer.getClass().getSimpleName());
    }
    PendingKey key = store.newKey().orElseThrow();
    try {
      store.issued(r, AnswerChecks.renewed(renewed, r.requestId().orElseThrow(), current, key, clock.instant()));
    } catch (EnrollmentException e) {
      return fallBack(r, e.getMessage());
    }
    Logger.info("rotation {}: new certificate and API key {} stored as pending", r.requestId().get(),
        renewed.apiKeyId());
    return Progress.NEXT;
  }

  private Progress switchOver(RotationRecord r) throws VaultException {
    store.switched(r);
    Logger.info("rotation {}: the new credentials are current; reconnecting with the new certificate",
        r.requestId().orElse("?"));
    return Progress.NEXT;
  }

  private Progress confirm(RotationRecord r) throws VaultException {
    CredentialSet current = store.current().orElseThrow();
    String requestId = r.requestId().orElseThrow();
    try {
      link.useIdentity(current).get(SWITCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      if (r.failures() + 1 >= SWITCH_ATTEMPTS) {
        return fallBack(r, "the broker did not accept the new certificate in " + SWITCH_ATTEMPTS + " attempts");
      }
      return retry(r, "not connected with the new certificate yet");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Progress.WAIT;
    }
    ProvAnswer answer;
    try {
      answer = channel.exchange(ConfirmRequest.signed(requestId, current.deviceId(),
          current.leaf().getSerialNumber().toString(16), clock.instant(), current.privateKey(), secure),
          answerTimeout);
    } catch (ProvisioningChannel.NoAnswer e) {
      return retry(r, "no answer to the confirm: " + e.getMessage());
    }
    if (answer instanceof ProvError e) {
      return refused(r, "confirm", e);
    }
    if (!(answer instanceof ConfirmResponse c) || !AnswerChecks.confirmed(c, requestId, current)) {
      return retry(r, "the answer to the confirm is not the service's confirmation of " + requestId);
    }
    String result = ROTATED + "certificate " + current.leaf().getSerialNumber().toString(16) + ", API key "
        + current.apiKeyId() + " (replaced certificate " + c.revokedSerial() + ", API key " + c.revokedApiKeyId() + ")";
    store.confirmed(r, result, clock.instant());
    Logger.info("rotation {} confirmed; old certificate and API key dropped: {}", requestId, result);
    afterStep.accept(RotationStep.IDLE);
    scheduleAutomatic();
    return Progress.DONE;
  }

  private Progress refused(RotationRecord r, String what, ProvError e) throws VaultException {
    String why = "the service refused the " + what + " (" + e.code().wire + "): " + e.message();
    if (e.code() == ProvError.Code.RECOVERY_CLOSED) {
      why = NEW_TOKEN_NEEDED + ": " + why;
    }
    return e.code().retryable ? retry(r, why) : fallBack(r, why);
  }

  private Progress retry(RotationRecord r, String why) throws VaultException {
    Duration wait = wait(r.failures());
    store.attemptFailed(r, clock.instant().plus(wait));
    Logger.warn("rotation {} at step {}: {}; trying again in {} s", r.requestId().orElse("?"), r.step(), why,
        wait.toSeconds());
    schedule(() -> advance(Trigger.RESUME), wait);
    return Progress.WAIT;
  }

  private Progress fallBack(RotationRecord r, String why) throws VaultException {
    Instant next = clock.instant().plus(wait(r.failures()));
    boolean switched = r.step() == RotationStep.SWITCHED;
    store.fellBack(r, "failed: " + why, clock.instant(), next);
    Logger.warn("rotation {} failed at step {}: {}; keeping the credentials in use before it", r.requestId().orElse("?"),
        r.step(), why);
    if (switched) {
      link.useIdentity(store.current().orElseThrow());
    }
    scheduleAutomatic();
    return Progress.DONE;
  }

  private Duration wait(int failures) {
    Duration d = backoff.delay(failures, random);
    return d.compareTo(FLOOR) < 0 ? FLOOR : d;
  }

  private void scheduleAutomatic() throws VaultException {
    Optional<CredentialSet> current = store.current();
    if (current.isEmpty()) {
      return;
    }
    current.get().apiKey().destroy();
    Instant due = RenewalPolicy.due(current.get().leaf().getNotBefore().toInstant(),
        current.get().certificateNotAfter(), random);
    Optional<Instant> held = store.record().nextAttempt();
    if (held.isPresent() && held.get().isAfter(due)) {
      due = held.get();
    }
    nextAutomatic = Optional.of(due);
    Duration wait = Duration.between(clock.instant(), due);
    schedule(() -> {
      Logger.info("automatic rotation due ({})", nextAutomatic.map(Object::toString).orElse("now"));
      trigger(Trigger.AUTOMATIC);
    }, wait.isNegative() ? Duration.ZERO : wait);
  }

  private void schedule(Task task, Duration wait) {
    cancelTimer();
    try {
      timer = scheduler.schedule(() -> guarded(task), wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void onThread(Task task) {
    try {
      scheduler.execute(() -> guarded(task));
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  @FunctionalInterface
  private interface Task {
    void run() throws VaultException;
  }

  private static void guarded(Task task) {
    try {
      task.run();
    } catch (VaultException e) {
      Logger.error("rotation stopped: the vault failed ({}); the credentials in use stay as they are", e.getMessage());
    } catch (RuntimeException e) {
      Logger.error(e, "rotation task failed; the credentials in use stay as they are");
    }
  }
}
