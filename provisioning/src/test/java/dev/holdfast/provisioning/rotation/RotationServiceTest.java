package dev.holdfast.provisioning.rotation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.Verification;
import dev.holdfast.provisioning.broker.BrokerReloader;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.RevokeRequest;
import dev.holdfast.provisioning.ca.SerialNumbers;
import dev.holdfast.provisioning.enrollment.Enrollment;
import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.service.ProvisioningResponder;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.QueuedScheduler;
import dev.holdfast.provisioning.testing.RotatingDevice;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestTokens;
import dev.holdfast.provisioning.tokens.TokenService;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RotationServiceTest {
  @TempDir Path dir;
  TestPki pki;
  HangupRecorder broker;
  ApiKeyService keys;
  RotationService service;
  TokenService tokens;
  RotatingDevice device;
  String oldApiKey;
  String oldSerial;

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(dir.resolve("fleet"), 41, new CaSettings(Duration.ofDays(30), Duration.ofDays(90),
        Duration.ofDays(7), Optional.of(dir.resolve("crl.pem"))), MutableClock.atStart());
    broker = new HangupRecorder(dir);
    keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(42));
    service = service(RotationSettings.defaults());
    tokens = TokenService.open(pki.registry, pki.clock, TestRandom.seeded(43));
    Enrolled first = enrolled();
    device = first.device();
    oldApiKey = first.apiKey();
    oldSerial = first.serial();
  }

  /** A device enrolled at the bench: its keys, its first API key and certificate serial. */
  record Enrolled(RotatingDevice device, String apiKey, String serial) {}

  Enrolled enrolled() throws Exception {
    BenchDevice bench = new BenchDevice(pki.random);
    EnrollResponse enrolled = new Enrollment(pki.registry, tokens, pki.ca, pki.fleet::signEnrollResponse, keys,
        pki.clock, TestRandom.seeded(44)).enroll(bench.request(TestTokens.one(tokens).token().reveal()), "bench")
        .orElseThrow(r -> new AssertionError(r.message()));
    return new Enrolled(new RotatingDevice(enrolled.deviceId(), bench.keys, pki.random), bench.apiKey(enrolled),
        SerialNumbers.hex(enrolled.chain().get(0).getSerialNumber()));
  }

  @AfterEach
  void tearDown() {
    broker.close();
    pki.close();
  }

  RotationService service(RotationSettings settings) {
    return service(settings, QueuedScheduler.inline());
  }

  /** A service whose broker syncs run on {@code syncs}. */
  RotationService service(RotationSettings settings, ScheduledExecutorService syncs) {
    return new RotationService(pki.registry, pki.ca, keys, AnswerSigner.of(pki.fleet),
        pki.batchedSync(new BrokerReloader(broker.pidFile), syncs), settings, pki.clock, TestRandom.seeded(45),
        step -> { });
  }

  RenewResponse renewed(String requestId) throws Exception {
    ProvAnswer a = service.answer(device.id, device.renewBytes(requestId, pki.clock.instant()));
    assertThat(a).as(a.toJson()).isInstanceOf(RenewResponse.class);
    return (RenewResponse) RotatingDevice.reparsed(a);
  }

  ConfirmResponse confirmed(RenewResponse r) throws Exception {
    ProvAnswer a = service.answer(device.id, device.confirmBytes(r.requestId(), serial(r), pki.clock.instant()));
    assertThat(a).as(a.toJson()).isInstanceOf(ConfirmResponse.class);
    return (ConfirmResponse) a;
  }

  static String serial(RenewResponse r) {
    return SerialNumbers.hex(r.chain().get(0).getSerialNumber());
  }

  Verification.Reason verdict(String apiKey) throws Exception {
    return keys.verify(apiKey).reason();
  }

  CertificateRecord.State certState(String serial) throws Exception {
    return pki.registry.read(tx -> tx.certificates().find(serial)).orElseThrow().state();
  }

  Device registered() throws Exception {
    return pki.registry.read(tx -> tx.devices().find(device.id)).orElseThrow();
  }

  /** Everything a rotation could change, but the audit log. */
  String snapshot() throws Exception {
    return pki.registry.read(tx -> tx.devices().all() + "|" + tx.certificates().all() + "|" + tx.apiKeys().all()
        + "|" + tx.rotations().all());
  }

  /** Requests (topic device, payload) handed to the service together, as they waited; their answers, in order. */
  List<ProvAnswer> answeredTogether(List<Map.Entry<String, byte[]>> requests) {
    List<CompletableFuture<ProvAnswer>> answers = new ArrayList<>();
    List<ProvisioningResponder.Asked> asked = new ArrayList<>();
    for (Map.Entry<String, byte[]> r : requests) {
      CompletableFuture<ProvAnswer> answer = new CompletableFuture<>();
      answers.add(answer);
      asked.add(new ProvisioningResponder.Asked(r.getKey(), r.getValue(), answer::complete));
    }
    service.answerAll(asked);
    return answers.stream().map(a -> a.getNow(null)).toList();
  }

  ProvError.Code refusal(byte[] payload) {
    ProvAnswer a = service.answer(device.id, payload);
    assertThat(a).as(a.toJson()).isInstanceOf(ProvError.class);
    return ((ProvError) a).code();
  }

  X509CRL publishedCrl() throws Exception {
    return (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("crl.pem"))));
  }

  @Test
  void aRenewSignedByTheCurrentKeyGetsANewCertificateAndKeyWhileTheOldOnesStayValid() throws Exception {
    RenewResponse r = renewed("r-1");

    assertThat(r.signedByIssuer()).isTrue();
    assertThat(r.chain().get(1)).isEqualTo(pki.issuing());
    assertThat(r.chain().get(0).getPublicKey()).isEqualTo(device.next.getPublic());
    assertThat(r.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + device.id);
    String newKey = device.apiKey(r);
    assertThat(newKey).isNotEqualTo(oldApiKey);
    assertThat(verdict(newKey)).isEqualTo(Verification.Reason.VALID);
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.VALID);
    assertThat(certState(oldSerial)).isEqualTo(CertificateRecord.State.VALID);
    assertThat(registered().rotation()).isEqualTo(Device.RotationState.PENDING_CONFIRMATION);
    assertThat(registered().pendingSerial()).contains(serial(r));
  }

  @Test
  void requestsThatWaitedTogetherCommitInOneTransactionAndEachGetsItsOwnAnswer() throws Exception {
    RotatingDevice second = enrolled().device();
    long commits = pki.registry.generation(Registry.Table.ROTATIONS);

    List<ProvAnswer> answers = answeredTogether(List.of(
        Map.entry(device.id, device.renewBytes("r-1", pki.clock.instant())),
        Map.entry(second.id, second.renewBytes("r-2", pki.clock.instant())),
        Map.entry(second.id, RotatingDevice.bytes("{\"v\":1,")),
        Map.entry(device.id, second.renewBytes("r-3", pki.clock.instant()))));

    assertThat(answers.get(0)).isInstanceOf(RenewResponse.class);
    assertThat(((RenewResponse) answers.get(0)).chain().get(0).getPublicKey()).isEqualTo(device.next.getPublic());
    assertThat(answers.get(1)).isInstanceOf(RenewResponse.class);
    assertThat(((RenewResponse) answers.get(1)).chain().get(0).getPublicKey()).isEqualTo(second.next.getPublic());
    assertThat(answers.subList(2, 4)).allSatisfy(a -> assertThat(((ProvError) a).code())
        .isEqualTo(ProvError.Code.BAD_REQUEST));
    assertThat(pki.registry.generation(Registry.Table.ROTATIONS)).as("one commit for both renews")
        .isEqualTo(commits + 1);
    assertThat(registered().rotation()).isEqualTo(Device.RotationState.PENDING_CONFIRMATION);
  }

  @Test
  void aRefusedRequestAmongOthersIsAnsweredOnItsOwnWhileTheOthersStillCommit() throws Exception {
    RotatingDevice second = enrolled().device();
    RotatingDevice forger = new RotatingDevice(second.id, device.current, pki.random);
    String secondBefore = pki.registry.read(tx -> tx.devices().find(second.id)).orElseThrow().toString();

    List<ProvAnswer> answers = answeredTogether(List.of(
        Map.entry(device.id, device.renewBytes("r-1", pki.clock.instant())),
        Map.entry(second.id, forger.renewBytes("r-2", pki.clock.instant()))));

    assertThat(answers.get(0)).isInstanceOf(RenewResponse.class);
    assertThat(((ProvError) answers.get(1)).code()).isEqualTo(ProvError.Code.BAD_SIGNATURE);
    assertThat(registered().pendingSerial()).contains(serial((RenewResponse) answers.get(0)));
    assertThat(pki.registry.read(tx -> tx.devices().find(second.id)).orElseThrow().toString())
        .isEqualTo(secondBefore);
  }

  @Test
  void confirmsThatWaitedTogetherAreAnsweredAfterTheBrokerHasTheCrlRevokingEveryOldCertificate() throws Exception {
    Enrolled second = enrolled();
    RenewResponse first = renewed("r-1");
    ProvAnswer other = service.answer(second.device().id, second.device().renewBytes("r-2", pki.clock.instant()));
    RenewResponse secondRenewed = (RenewResponse) RotatingDevice.reparsed(other);

    List<ProvAnswer> answers = answeredTogether(List.of(
        Map.entry(device.id, device.confirmBytes("r-1", serial(first), pki.clock.instant())),
        Map.entry(second.device().id, second.device().confirmBytes("r-2", serial(secondRenewed),
            pki.clock.instant()))));

    assertThat(answers).allSatisfy(a -> assertThat(a).isInstanceOf(ConfirmResponse.class));
    assertThat(publishedCrl().getRevokedCertificate(SerialNumbers.parse(oldSerial))).isNotNull();
    assertThat(publishedCrl().getRevokedCertificate(SerialNumbers.parse(second.serial()))).isNotNull();
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.REVOKED);
    assertThat(verdict(second.apiKey())).isEqualTo(Verification.Reason.REVOKED);
  }

  @Test
  void aRenewRepeatedWithTheSameIdGetsTheSameAnswerAndNeverASecondCertificate() throws Exception {
    RenewResponse first = renewed("r-1");
    String after = snapshot();
    pki.clock.advance(Duration.ofHours(2));

    RenewResponse again = renewed("r-1");

    assertThat(again.toJson()).isEqualTo(first.toJson());
    assertThat(snapshot()).isEqualTo(after);
  }

  @Test
  void theConfirmSignedByTheNewKeyRevokesTheOldCertificateAndKeyAndPublishesTheCrlWithASighup() throws Exception {
    RenewResponse r = renewed("r-1");
    int hangups = broker.hangups();

    ConfirmResponse c = confirmed(r);

    assertThat(c.signedBy(pki.issuing().getPublicKey())).isTrue();
    assertThat(c.revokedSerial()).isEqualTo(oldSerial);
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.REVOKED);
    assertThat(verdict(device.apiKey(r))).isEqualTo(Verification.Reason.VALID);
    assertThat(certState(oldSerial)).isEqualTo(CertificateRecord.State.REVOKED);
    assertThat(registered().currentSerial()).contains(serial(r));
    assertThat(registered().rotation()).isEqualTo(Device.RotationState.IDLE);
    assertThat(publishedCrl().getRevokedCertificate(SerialNumbers.parse(oldSerial))).isNotNull();
    assertThat(publishedCrl().getRevokedCertificate(r.chain().get(0).getSerialNumber())).isNull();
    org.awaitility.Awaitility.await().until(() -> broker.hangups() > hangups);
  }

  @Test
  void theConfirmIsAnsweredOnlyOnceTheBrokerHasTheCrlThatRevokesTheOldCertificate() throws Exception {
    QueuedScheduler syncs = QueuedScheduler.queued();
    service = service(RotationSettings.defaults(), syncs);
    RenewResponse r = renewed("r-1");
    List<ProvAnswer> told = new ArrayList<>();

    service.answer(device.id, device.confirmBytes(r.requestId(), serial(r), pki.clock.instant()), told::add);

    assertThat(told).as("not before the broker refuses the old certificate").isEmpty();
    assertThat(certState(oldSerial)).isEqualTo(CertificateRecord.State.REVOKED);
    assertThat(pendingChange()).get()
        .satisfies(p -> assertThat(p.what()).isEqualTo(RotationService.BROKER_CHANGE));
    assertThat(Files.exists(dir.resolve("crl.pem")) && publishedCrl().getRevokedCertificate(
        SerialNumbers.parse(oldSerial)) != null).isFalse();
    syncs.runNext();
    assertThat(told).singleElement().isInstanceOf(ConfirmResponse.class);
    assertThat(publishedCrl().getRevokedCertificate(SerialNumbers.parse(oldSerial))).isNotNull();
    assertThat(pendingChange()).isEmpty();
  }

  @Test
  void aServiceStoppedBeforeTheBrokerSyncLeavesTheRevocationPendingAndTheRepeatedConfirmWaitsForTheSync()
      throws Exception {
    service = service(RotationSettings.defaults(), QueuedScheduler.queued()); // stops before any sync runs
    RenewResponse r = renewed("r-1");
    List<ProvAnswer> lost = new ArrayList<>();
    service.answer(device.id, device.confirmBytes(r.requestId(), serial(r), pki.clock.instant()), lost::add);
    assertThat(lost).isEmpty();

    QueuedScheduler syncs = QueuedScheduler.queued();
    service = service(RotationSettings.defaults(), syncs); // started again
    List<ProvAnswer> told = new ArrayList<>();
    service.answer(device.id, device.confirmBytes(r.requestId(), serial(r), pki.clock.instant()), told::add);

    assertThat(told).as("the broker may still take the old certificate").isEmpty();
    syncs.runNext();
    assertThat(told).singleElement().isInstanceOf(ConfirmResponse.class);
    assertThat(publishedCrl().getRevokedCertificate(SerialNumbers.parse(oldSerial))).isNotNull();
    assertThat(confirmed(r).revokedSerial()).as("once taken, a repeat is answered at once").isEqualTo(oldSerial);
  }

  @Test
  void theBrokerNeedsANewAclOnlyWhenMoreThanRotationsIsPending() {
    java.time.Instant t = pki.clock.instant();
    Optional<PendingReload> rotations = Optional.of(PendingReload.add(Optional.empty(), t,
        RotationService.BROKER_CHANGE, java.util.Set.of()));
    assertThat(RotationService.onlyRotations(Optional.empty())).isTrue();
    assertThat(RotationService.onlyRotations(rotations)).isTrue();
    assertThat(RotationService.onlyRotations(rotations.map(p -> p.failed("no pid file")))).isTrue();
    assertThat(RotationService.onlyRotations(Optional.of(PendingReload.add(rotations, t, "device dev-1 revoked",
        java.util.Set.of("dev-1"))))).isFalse();
    assertThat(RotationService.onlyRotations(Optional.of(PendingReload.add(rotations, t,
        "operator holdfast.operator.ada revoked", java.util.Set.of())))).isFalse();
  }

  @Test
  void aConfirmRepeatedGetsTheSameAnswerAndChangesNothing() throws Exception {
    RenewResponse r = renewed("r-1");
    ConfirmResponse first = confirmed(r);
    String after = snapshot();

    ConfirmResponse again = confirmed(r);

    assertThat(again.toJson()).isEqualTo(first.toJson());
    assertThat(snapshot()).isEqualTo(after);
  }

  @Test
  void aDeviceThatNeverConfirmsKeepsItsOldCredentialsUntilTheyExpire() throws Exception {
    renewed("r-1");
    pki.clock.advance(Duration.ofDays(29));
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.VALID);
    assertThat(certState(oldSerial)).isEqualTo(CertificateRecord.State.VALID);
    assertThat(registered().currentSerial()).contains(oldSerial);
  }

  @Test
  void withAKeyGraceTheOldApiKeyWorksUntilTheGraceEndsAfterTheConfirm() throws Exception {
    service = service(new RotationSettings(Duration.ofMinutes(10), Duration.ofMinutes(10),
        Duration.ofDays(30)));
    confirmed(renewed("r-1"));
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.VALID);
    pki.clock.advance(Duration.ofMinutes(10));
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.EXPIRED);
  }

  @Test
  void aNewRenewWithAnotherIdSupersedesAnUnconfirmedOneAndRevokesWhatThatOneIssued() throws Exception {
    RenewResponse first = renewed("r-1");
    RenewResponse second = renewed("r-2");

    assertThat(certState(serial(first))).isEqualTo(CertificateRecord.State.REVOKED);
    assertThat(verdict(device.apiKey(first))).isEqualTo(Verification.Reason.REVOKED);
    assertThat(verdict(device.apiKey(second))).isEqualTo(Verification.Reason.VALID);
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.VALID);
    assertThat(refusal(device.confirmBytes("r-1", serial(first), pki.clock.instant())))
        .isEqualTo(ProvError.Code.NO_ROTATION);
    confirmed(second);
    assertThat(verdict(oldApiKey)).isEqualTo(Verification.Reason.REVOKED);
  }

  @Test
  void aRenewSignedByAnotherKeyIsRefusedAndChangesNothing() throws Exception {
    String before = snapshot();
    RotatingDevice forger = new RotatingDevice(device.id, device.next, pki.random);
    assertThat(refusal(forger.renewBytes("r-1", pki.clock.instant()))).isEqualTo(ProvError.Code.BAD_SIGNATURE);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aRenewForAnotherDeviceOrFromAnotherDevicesTopicIsRefusedAndChangesNothing() throws Exception {
    String before = snapshot();
    RotatingDevice other = new RotatingDevice("dev-0000000000000000", device.current, pki.random);
    assertThat(refusal(other.renewBytes("r-1", pki.clock.instant()))).isEqualTo(ProvError.Code.BAD_REQUEST);
    assertThat(service.answer(other.id, other.renewBytes("r-1", pki.clock.instant())))
        .extracting(a -> ((ProvError) a).code()).isEqualTo(ProvError.Code.UNKNOWN_DEVICE);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aStaleRenewIsRefusedAndChangesNothing() throws Exception {
    String before = snapshot();
    assertThat(refusal(device.renewBytes("r-1", pki.clock.instant().minus(Duration.ofMinutes(11)))))
        .isEqualTo(ProvError.Code.STALE);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aConfirmSignedByTheOldKeyOrForAnUnknownRotationIsRefusedAndChangesNothing() throws Exception {
    RenewResponse r = renewed("r-1");
    String before = snapshot();
    byte[] signedByOld = ConfirmRequest.signed("r-1", device.id, serial(r),
        pki.clock.instant(), device.current.getPrivate(), pki.random).toJson().getBytes(UTF_8);
    assertThat(refusal(signedByOld)).isEqualTo(ProvError.Code.BAD_SIGNATURE);
    assertThat(refusal(device.confirmBytes("r-9", serial(r), pki.clock.instant()))).isEqualTo(ProvError.Code.NO_ROTATION);
    assertThat(refusal(device.confirmBytes("r-1", "0a", pki.clock.instant()))).isEqualTo(ProvError.Code.BAD_REQUEST);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aRevokedDeviceGetsNothing() throws Exception {
    pki.revoke(new RevokeRequest.OfDevice(device.id, "test")).orElseThrow(r -> new AssertionError(r.message()));
    String before = snapshot();
    assertThat(refusal(device.renewBytes("r-1", pki.clock.instant()))).isEqualTo(ProvError.Code.DEVICE_REVOKED);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aCsrForTheKeyInUseIsRefused() throws Exception {
    byte[] request = RenewRequest.signed("r-1", device.id,
        Csrs.valid(device.current), pki.clock.instant(),
        device.current.getPrivate(), pki.random).toJson().getBytes(UTF_8);
    assertThat(refusal(request)).isEqualTo(ProvError.Code.CSR_REJECTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "not json", "{\"v\":1,\"type\":\"renew\"}", "{\"v\":1,\"type\":\"revoke\",\"id\":\"x\"}",
      "{\"v\":2,\"type\":\"renew\",\"id\":\"x\"}"})
  void aMalformedRequestIsRefusedAsABadRequestAndChangesNothing(String payload) throws Exception {
    String before = snapshot();
    assertThat(refusal(RotatingDevice.bytes(payload))).isEqualTo(ProvError.Code.BAD_REQUEST);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void noAnswerOrLogLineHoldsTheNewApiKeyInPlaintext() throws Exception {
    RenewResponse r = renewed("r-1");
    String key = device.apiKey(r);
    assertThat(r.toJson()).doesNotContain(key);
    assertThat(pki.registry.read(tx -> tx.rotations().all()).toString()).doesNotContain(key);
    assertThat(pki.registry.read(tx -> tx.audit().all()).toString()).doesNotContain(key);
    assertThat(List.of(r.toString())).noneMatch(s -> s.contains(key));
  }

  ProvError recoveryRefusal(byte[] payload) {
    ProvAnswer a = service.recover(payload);
    assertThat(a).as(a.toJson()).isInstanceOf(ProvError.class);
    return (ProvError) a;
  }

  @Test
  void aDeviceWhoseCertificateExpiredRecoversWithinTheWindowAndConfirmsAsInAnyRotation() throws Exception {
    pki.clock.advance(Duration.ofDays(31)); // the 30-day certificate expired a day ago, offline
    String before = snapshot();
    ProvError overMqtt = (ProvError) service.answer(device.id, device.renewBytes("r-mqtt", pki.clock.instant()));
    assertThat(overMqtt.code()).isEqualTo(ProvError.Code.BAD_SIGNATURE);
    assertThat(overMqtt.message()).contains("expired").contains("recovery over HTTPS");
    assertThat(snapshot()).as("the refused renew over MQTT changed nothing").isEqualTo(before);

    ProvAnswer a = service.recover(device.renewBytes("r-back", pki.clock.instant()));
    assertThat(a).as(a.toJson()).isInstanceOf(RenewResponse.class);
    RenewResponse r = (RenewResponse) RotatingDevice.reparsed(a);
    assertThat(registered().rotation()).isEqualTo(Device.RotationState.PENDING_CONFIRMATION);
    ConfirmResponse c = confirmed(r);

    assertThat(c.revokedSerial()).isEqualTo(oldSerial);
    assertThat(registered().currentSerial()).contains(serial(r));
    assertThat(r.chain().get(0).getNotAfter().toInstant()).isAfter(pki.clock.instant().plus(Duration.ofDays(29)));
    assertThat(verdict(device.apiKey(r))).isEqualTo(Verification.Reason.VALID);
    assertThat(verdict(oldApiKey)).isNotEqualTo(Verification.Reason.VALID);
    assertThat(pki.registry.read(tx -> tx.audit().all()).toString()).contains("rotation.renewed")
        .contains("rotation.confirmed");
  }

  @Test
  void pastTheRecoveryWindowARecoveryIsRefusedAsClosedSaysANewTokenIsNeededAndChangesNothing() throws Exception {
    pki.clock.advance(Duration.ofDays(30 + 31));
    String before = snapshot();

    ProvError e = recoveryRefusal(device.renewBytes("r-late", pki.clock.instant()));

    assertThat(e.code()).isEqualTo(ProvError.Code.RECOVERY_CLOSED);
    assertThat(e.code().retryable).isFalse();
    assertThat(e.message()).contains("longer ago than the recovery window (30d)").contains("new token");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aRecoveryAlsoReplacesAnApiKeyThatExpiredWithinTheWindow() throws Exception {
    service = service(new RotationSettings(Duration.ZERO, Duration.ofMinutes(10), Duration.ofDays(100)));
    pki.clock.advance(Duration.ofDays(91)); // the 90-day key expired a day ago, the certificate 61 days ago

    ProvAnswer a = service.recover(device.renewBytes("r-key", pki.clock.instant()));

    assertThat(a).as(a.toJson()).isInstanceOf(RenewResponse.class);
    RenewResponse r = (RenewResponse) RotatingDevice.reparsed(a);
    assertThat(r.apiKeyExpiresAt()).isAfter(pki.clock.instant().plus(Duration.ofDays(89)));
    assertThat(r.scopes()).containsExactlyInAnyOrder("messages:send", "events:publish");
    assertThat(verdict(device.apiKey(r))).isEqualTo(Verification.Reason.VALID);
  }

  @Test
  void aRecoveryThatIsAConfirmSignedByAnotherKeyOfARevokedDeviceOrWithWindowZeroIsRefusedAndChangesNothing()
      throws Exception {
    pki.clock.advance(Duration.ofDays(31));
    String before = snapshot();
    RotatingDevice forger = new RotatingDevice(device.id, device.next, pki.random);

    ProvError confirm = recoveryRefusal(device.confirmBytes("r-1", "0a", pki.clock.instant()));
    ProvError forged = recoveryRefusal(forger.renewBytes("r-1", pki.clock.instant()));
    ProvError garbage = recoveryRefusal(RotatingDevice.bytes("not json"));
    service = service(new RotationSettings(Duration.ZERO, Duration.ofMinutes(10), Duration.ZERO));
    ProvError never = recoveryRefusal(device.renewBytes("r-1", pki.clock.instant()));
    pki.revoke(new RevokeRequest.OfDevice(device.id, "test")).orElseThrow(r -> new AssertionError(r.message()));
    String revokedState = snapshot();
    ProvError revoked = recoveryRefusal(device.renewBytes("r-2", pki.clock.instant()));

    assertThat(confirm.code()).isEqualTo(ProvError.Code.BAD_REQUEST);
    assertThat(confirm.message()).contains("confirm over MQTT");
    assertThat(forged.code()).isEqualTo(ProvError.Code.BAD_SIGNATURE);
    assertThat(garbage.code()).isEqualTo(ProvError.Code.BAD_REQUEST);
    assertThat(never.code()).isEqualTo(ProvError.Code.RECOVERY_CLOSED);
    assertThat(never.message()).contains("recovery window (0s)");
    assertThat(revoked.code()).isEqualTo(ProvError.Code.DEVICE_REVOKED);
    assertThat(snapshot()).isEqualTo(revokedState);
    assertThat(revokedState).isNotEqualTo(before);
  }

  Optional<PendingReload> pendingChange() throws Exception {
    return pki.registry.read(tx -> tx.brokerReloads().pending());
  }
}
