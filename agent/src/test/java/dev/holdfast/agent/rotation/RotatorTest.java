package dev.holdfast.agent.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.identity.PendingKey;
import dev.holdfast.agent.identity.ResponseVerifier;
import dev.holdfast.agent.testing.ManualScheduler;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.common.retry.Backoff;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rotation state machine over a real vault file, driven step by step on a manual scheduler with
 * an injected clock: it completes, resumes from every step after the process stopped there, falls
 * back on refusals, retries with a capped backoff, and renews on its own when the policy says.
 */
class RotatorTest {
  static final String DEVICE = "dev-0123456789abcdef";
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1));

  @TempDir Path dir;
  final TestFleet fleet = TestFleet.create();
  final SecureRandom secure = new SecureRandom();
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final ManualScheduler scheduler = new ManualScheduler();
  Vault vault;
  CredentialSet enrolled;
  StandInService service;
  final RecordingLink link = new RecordingLink();
  /** What went over the recovery channel ({@code provisioning.url}); the stand-in service answers it. */
  final List<String> overHttps = new ArrayList<>();
  final ProvisioningChannel recovery = (request, timeout) -> {
    overHttps.add(request.getClass().getSimpleName());
    return service.exchange(request, timeout);
  };

  /** The link as the rotator sees it: records which identity it was told to use. */
  static final class RecordingLink implements LinkControl {
    final List<CredentialSet> used = new ArrayList<>();
    boolean brokerRefusesNew;

    @Override
    public CompletableFuture<Void> useIdentity(CredentialSet set) {
      used.add(set);
      return brokerRefusesNew ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
          : CompletableFuture.completedFuture(null);
    }
  }

  /** Stands for the process stopping right after a step was persisted. */
  static final class Halt extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static MasterKeySource key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 3);
    return MasterKeySource.ofKey(Secret.wrap(k), "test key");
  }

  @BeforeEach
  void enroll() throws Exception {
    vault = Vault.create(dir.resolve("agent.db"), key(), secure);
    IdentityStore ids = new IdentityStore(vault);
    PendingKey k = ids.pendingKeyOrCreate(secure, clock);
    enrolled = ResponseVerifier.verify(fleet.respondFor(k.publicKey(), DEVICE, "hf_enrolledKey000000000000000000",
        TestFleet.SCOPES), fleet.root, k, clock);
    ids.storeCurrent(enrolled);
    service = new StandInService(fleet, DEVICE, enrolled.publicKey(), clock);
  }

  @AfterEach
  void close() {
    vault.close();
  }

  Rotator rotator(Consumer<RotationStep> afterStep) {
    return rotator(Optional.of(recovery), afterStep);
  }

  Rotator rotator(Optional<ProvisioningChannel> recovery, Consumer<RotationStep> afterStep) {
    return new Rotator(new RotationStore(vault), service, recovery, link, BACKOFF, Duration.ofSeconds(20), scheduler,
        clock, secure, new SplittableRandom(11), afterStep);
  }

  /** The clock a day past the enrolled certificate's expiry: the device was offline through it. */
  void expireWhileOffline() {
    clock.advance(Duration.between(clock.instant(), enrolled.certificateNotAfter()).plus(Duration.ofDays(1)));
  }

  Map<String, Object> status() throws Exception {
    return RotationView.of(store(), Optional.empty(), clock.instant());
  }

  Rotator rotator() {
    return rotator(step -> { });
  }

  RotationStore store() {
    return new RotationStore(vault);
  }

  CredentialSet current() throws Exception {
    return store().current().orElseThrow();
  }

  static String serial(CredentialSet set) {
    return set.leaf().getSerialNumber().toString(16);
  }

  /** The last one-shot task the rotator scheduled (its retry or its automatic timer), run now. */
  void runTimer() {
    scheduler.timed().get(scheduler.timed().size() - 1).task().run();
    scheduler.runReady();
  }

  void assertRotatedAndClean() throws Exception {
    RotationRecord r = store().record();
    assertThat(r.step()).isEqualTo(RotationStep.IDLE);
    assertThat(r.lastResult()).hasValueSatisfying(v -> assertThat(v).startsWith("rotated"));
    CredentialSet now = current();
    assertThat(serial(now)).isNotEqualTo(serial(enrolled));
    assertThat(now.publicKey()).as("the service's registered key is the current one").isEqualTo(service.registered);
    assertThat(new String(now.apiKey().bytes(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo(service.apiKeysIssued.get(service.apiKeysIssued.size() - 1));
    assertThat(store().previous()).isEmpty();
    assertThat(store().pending()).isEmpty();
    assertThat(store().newKey()).isEmpty();
    assertThat(serial(link.used.get(link.used.size() - 1))).isEqualTo(serial(now));
  }

  @Test
  void aRotationRunsEveryStepInOrderAndEndsWithTheNewSetCurrentAndTheOldOneDropped() throws Exception {
    List<RotationStep> steps = new ArrayList<>();
    rotator(steps::add).trigger(Trigger.LOCAL);
    scheduler.runReady();

    assertThat(steps).containsExactly(RotationStep.KEY_PENDING, RotationStep.REQUESTED, RotationStep.ISSUED,
        RotationStep.SWITCHED, RotationStep.IDLE);
    assertThat(service.log).hasSize(2).first().asString().startsWith("RenewRequest");
    assertRotatedAndClean();
  }

  @ParameterizedTest
  @EnumSource(RotationStep.class)
  void stoppedRightAfterAnyStepItResumesAtStartAndEndsRotatedWithOneCertificateIssued(RotationStep step)
      throws Exception {
    rotator(s -> {
      if (s == step) {
        throw new Halt();
      }
    }).trigger(Trigger.LOCAL);
    scheduler.runReady();
    assertThat(store().record().step()).isEqualTo(step);
    assertThat(current().publicKey()).as("a working set is current at every step")
        .isIn(enrolled.publicKey(), service.issuedKeys.values().stream().findFirst().orElse(enrolled.publicKey()));
    vault.close();
    vault = Vault.open(dir.resolve("agent.db"), key(), secure);

    rotator().start();
    scheduler.runReady();

    assertRotatedAndClean();
    assertThat(service.answered).as("one rotation, one certificate").hasSize(1);
  }

  @Test
  void aRotateCommandIssuedBeforeTheLastRotationWasConfirmedStartsNoSecondOne() throws Exception {
    Rotator rotator = rotator();
    Instant asked = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    rotator.trigger(Trigger.LOCAL);
    scheduler.runReady();
    assertThat(service.log).hasSize(2);

    rotator.command(asked); // issued before that rotation ended: it reached the device late
    scheduler.runReady();
    assertThat(service.log).as("nothing sent again").hasSize(2);

    clock.advance(Duration.ofSeconds(1));
    rotator.command(clock.instant());
    scheduler.runReady();
    assertThat(service.log).as("a command issued since rotates again").hasSize(4);
  }

  @Test
  void everyRequestWaitsForItsAnswerAsLongAsTheConfiguredAnswerTimeout() throws Exception {
    List<Duration> waits = new ArrayList<>();
    ProvisioningChannel timed = (request, timeout) -> {
      waits.add(timeout);
      return service.exchange(request, timeout);
    };
    new Rotator(new RotationStore(vault), timed, Optional.empty(), link, BACKOFF, Duration.ofSeconds(7), scheduler,
        clock, secure, new SplittableRandom(11), step -> { }).trigger(Trigger.LOCAL);
    scheduler.runReady();

    assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
    assertRotatedAndClean();
  }

  @Test
  void aDeviceWhoseCertificateExpiredRenewsOverTheRecoveryChannelAndConfirmsOverTheLink() throws Exception {
    expireWhileOffline();
    assertThat(status()).containsEntry("certificate_expired", true).containsEntry("action_needed", null);

    rotator().trigger(Trigger.AUTOMATIC);
    scheduler.runReady();

    assertRotatedAndClean();
    assertThat(overHttps).containsExactly("RenewRequest");
    assertThat(service.log).hasSize(2).last().asString().startsWith("ConfirmRequest");
    assertThat(status()).containsEntry("certificate_expired", false).containsEntry("action_needed", null);
  }

  @Test
  void aDeviceWhoseCertificateIsValidNeverUsesTheRecoveryChannel() throws Exception {
    rotator().trigger(Trigger.LOCAL);
    scheduler.runReady();

    assertRotatedAndClean();
    assertThat(overHttps).isEmpty();
  }

  @Test
  void anExpiredDeviceWithoutProvisioningUrlSendsNothingAndStatusSaysANewTokenIsNeeded() throws Exception {
    expireWhileOffline();

    rotator(Optional.empty(), step -> { }).trigger(Trigger.AUTOMATIC);
    scheduler.runReady();

    assertThat(service.log).as("the broker refuses an expired certificate: nothing is sent").isEmpty();
    assertThat(store().record().lastResult()).hasValueSatisfying(v -> assertThat(v)
        .startsWith("failed: " + Rotator.NEW_TOKEN_NEEDED).contains("provisioning.url is not set"));
    assertThat(status().get("action_needed")).asString().startsWith("enroll this device again with a new token");
    assertThat(store().record().nextAttempt()).as("held off, never a tight loop")
        .hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(clock.instant().plus(Rotator.FLOOR)));
  }

  @Test
  void aRecoveryRefusedBecauseTheWindowClosedFallsBackAndStatusSaysANewTokenIsNeeded() throws Exception {
    expireWhileOffline();
    service.refuse = Optional.of(ProvError.Code.RECOVERY_CLOSED);

    rotator().trigger(Trigger.AUTOMATIC);
    scheduler.runReady();

    assertThat(overHttps).containsExactly("RenewRequest");
    assertThat(serial(current())).isEqualTo(serial(enrolled));
    assertThat(store().record().lastResult()).hasValueSatisfying(v -> assertThat(v)
        .startsWith("failed: " + Rotator.NEW_TOKEN_NEEDED).contains("(recovery_closed)"));
    assertThat(status()).containsEntry("certificate_expired", true);
    assertThat(status().get("action_needed")).asString().contains("new token").contains("expired at "
        + enrolled.certificateNotAfter());
  }

  @Test
  void aRefusedRenewFallsBackToTheOldSetAndHoldsAutomaticTriggersOffButNotExplicitOnes() throws Exception {
    service.refuse = java.util.Optional.of(ProvError.Code.BAD_SIGNATURE);
    Rotator rotator = rotator();
    rotator.trigger(Trigger.LOCAL);
    scheduler.runReady();

    RotationRecord r = store().record();
    assertThat(r.step()).isEqualTo(RotationStep.IDLE);
    assertThat(r.lastResult()).hasValueSatisfying(v -> assertThat(v).startsWith("failed").contains("bad_signature"));
    assertThat(serial(current())).isEqualTo(serial(enrolled));
    assertThat(store().newKey()).isEmpty();
    assertThat(r.nextAttempt()).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(clock.instant().plus(Rotator.FLOOR)));

    int asked = service.log.size();
    rotator.trigger(Trigger.CREDENTIALS_REJECTED);
    scheduler.runReady();
    assertThat(service.log).as("an automatic trigger waits out the backoff").hasSize(asked);
    service.refuse = java.util.Optional.empty();
    rotator.trigger(Trigger.COMMAND);
    scheduler.runReady();
    assertRotatedAndClean();
  }

  @Test
  void withoutAnAnswerTheSameRequestIsSentAgainAfterACappedBackoffNeverAtOnce() throws Exception {
    service.silent = true;
    rotator().trigger(Trigger.LOCAL);
    scheduler.runReady();
    RotationRecord r = store().record();
    assertThat(r.step()).isEqualTo(RotationStep.REQUESTED);
    assertThat(r.failures()).isEqualTo(1);
    Duration wait = Duration.between(clock.instant(), r.nextAttempt().orElseThrow());
    assertThat(wait).isBetween(Rotator.FLOOR, BACKOFF.base());
    String request = r.request().orElseThrow();

    service.silent = false;
    clock.advance(wait);
    runTimer();

    assertThat(service.answered).hasSize(1);
    assertThat(service.answered.keySet()).containsExactly(r.requestId().orElseThrow());
    assertThat(request).contains(r.requestId().orElseThrow());
    assertRotatedAndClean();
  }

  @Test
  void anAnswerWhoseKeyIsNotSealedForThisRotationIsRefusedAndNothingIsStored() throws Exception {
    service.forgeRenew = true;
    rotator().trigger(Trigger.LOCAL);
    scheduler.runReady();
    RotationRecord r = store().record();
    assertThat(r.step()).isEqualTo(RotationStep.IDLE);
    assertThat(r.lastResult()).hasValueSatisfying(v -> assertThat(v).contains("renew answer was refused"));
    assertThat(serial(current())).isEqualTo(serial(enrolled));
    assertThat(store().pending()).isEmpty();
    assertThat(store().newKey()).isEmpty();
  }

  @Test
  void aConfirmRefusedAfterTheSwitchPutsTheOldSetBackAndTheLinkOnIt() throws Exception {
    service.refuseConfirm = java.util.Optional.of(ProvError.Code.NO_ROTATION);
    rotator().trigger(Trigger.LOCAL);
    scheduler.runReady();
    assertThat(store().record().lastResult()).hasValueSatisfying(v -> assertThat(v).contains("no_rotation"));
    assertThat(serial(current())).isEqualTo(serial(enrolled));
    assertThat(store().previous()).isEmpty();
    assertThat(serial(link.used.get(link.used.size() - 1))).isEqualTo(serial(enrolled));
  }

  @Test
  void aNewCertificateTheBrokerKeepsRefusingIsGivenUpAfterThreeAttemptsForTheOldOne() throws Exception {
    link.brokerRefusesNew = true;
    rotator().trigger(Trigger.LOCAL);
    scheduler.runReady();
    for (int i = 1; i < Rotator.SWITCH_ATTEMPTS; i++) {
      assertThat(store().record().step()).isEqualTo(RotationStep.SWITCHED);
      runTimer();
    }
    RotationRecord r = store().record();
    assertThat(r.step()).isEqualTo(RotationStep.IDLE);
    assertThat(r.lastResult()).hasValueSatisfying(v -> assertThat(v).contains("did not accept the new certificate"));
    assertThat(serial(current())).isEqualTo(serial(enrolled));
  }

  @Test
  void renewalStartsByItselfInsideTheJitterWindowOfTheCertificatesLifetime() throws Exception {
    Rotator rotator = rotator();
    rotator.start();
    scheduler.runReady();
    Instant from = enrolled.leaf().getNotBefore().toInstant();
    Duration lifetime = Duration.between(from, enrolled.certificateNotAfter());
    Instant due = rotator.nextAutomatic().orElseThrow();
    assertThat(due).isBetween(from.plus(lifetime.multipliedBy(7).dividedBy(12)),
        from.plus(lifetime.multipliedBy(3).dividedBy(4)));
    ManualScheduler.Timed timer = scheduler.timed().get(scheduler.timed().size() - 1);
    assertThat(timer.delay()).isEqualTo(Duration.between(clock.instant(), due));
    assertThat(service.log).as("nothing before it is due").isEmpty();

    clock.advance(Duration.between(clock.instant(), due));
    runTimer();

    assertRotatedAndClean();
  }
}
