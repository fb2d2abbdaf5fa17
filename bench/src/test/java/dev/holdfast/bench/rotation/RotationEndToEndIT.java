package dev.holdfast.bench.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.agent.rotation.RotationStep;
import dev.holdfast.bench.fleet.Fleet;
import dev.holdfast.bench.fleet.ProvisioningProcess;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.provisioning.rotation.ServiceStep;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rotation with every part real: provisioning {@code serve} and the agents as processes, Mosquitto
 * with the shipped configuration and the CRL the service rewrites, the relay. A rotation asked for
 * with {@code holdfast-agent rotate} ends with the agent connected under its new certificate, the
 * old API key refused (401) and the old certificate refused by the broker; an agent halted right
 * after each persisted step (as kill -9 would stop it) ends, once restarted, the same way, and so
 * does a rotation whose service is halted right after each step on its side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RotationEndToEndIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final AtomicInteger SMS = new AtomicInteger();
  /** The service's crash harness: halts {@code serve} right after the named {@link ServiceStep}. */
  private static final String HALT_AFTER = "holdfast.test.halt-after-step";

  private Fleet fleet;

  @BeforeAll
  void startTheFleet(@TempDir Path temp) throws Exception {
    fleet = Fleet.start(temp, 17);
  }

  @AfterAll
  void stopTheFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** The agent's set in {@code role}, read from its vault while it is stopped. */
  static CredentialSet identity(AgentProcess agent, String role) throws Exception {
    return agent.identity(role);
  }

  static Map<String, Object> status(AgentProcess agent) throws Exception {
    AgentProcess.Result r = agent.run("status", "--json");
    return JsonParser.parseObject(r.out().strip());
  }

  @SuppressWarnings("unchecked")
  static boolean rotatedAndConnected(AgentProcess agent, String oldSerial) throws Exception {
    Map<String, Object> s = status(agent);
    Map<String, Object> link = (Map<String, Object>) s.get("link");
    Map<String, Object> rotation = (Map<String, Object>) s.get("rotation");
    return link != null && "CONNECTED".equals(link.get("state")) && rotation != null
        && "IDLE".equals(rotation.get("state")) && String.valueOf(rotation.get("last_result")).startsWith("rotated")
        && !oldSerial.equals(rotation.get("certificate_serial"));
  }

  /** The rows of a {@code fleet rotate --json}. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rows(ProvisioningProcess.Result result) throws Exception {
    return (List<Map<String, Object>>) JsonParser.parse(result.out().strip());
  }

  @SuppressWarnings("unchecked")
  static boolean connected(AgentProcess agent) throws Exception {
    Map<String, Object> link = (Map<String, Object>) status(agent).get("link");
    return link != null && "CONNECTED".equals(link.get("state"));
  }

  /** What the relay answers a message sent with {@code set}'s API key. */
  int relayStatus(CredentialSet set) throws Exception {
    return fleet.relayStatus(set);
  }

  boolean brokerRefuses(CredentialSet set) {
    try (MqttTestClient c = MqttTestClient.connect(fleet.broker().uri(), set.deviceId(),
        Mqtt.options(TlsContexts.client(set, new SecureRandom()).getSocketFactory()))) {
      return !c.isConnected();
    } catch (Exception refused) {
      return true;
    }
  }

  /** An SMS sent through the running agent reaches the provider: the relay accepts its current key. */
  void relayAcceptsTheAgentsKey(AgentProcess agent) throws Exception {
    String body = "after rotation " + SMS.incrementAndGet();
    Path file = agent.home().resolve("sms-" + SMS.get() + ".txt");
    java.nio.file.Files.writeString(file, body);
    AgentProcess.Result sent = agent.run("send", "sms", "--to", "+15551234567", "--body-file", file.toString());
    assertThat(sent.code()).as(sent.out()).isZero();
    await().atMost(PATIENCE).until(() -> fleet.sms().received().stream().anyMatch(m -> m.body().equals(body)));
  }

  String enrolled(AgentProcess agent) throws Exception {
    AgentProcess.Result r = fleet.enroll(agent, fleet.token());
    assertThat(r.code()).as(r.out()).isZero();
    return identity(agent, IdentityStore.CURRENT).leaf().getSerialNumber().toString(16);
  }

  @Test
  void aRotationEndsConnectedUnderTheNewCertificateTheOldKeyGets401AndTheBrokerRefusesTheOldCertificate()
      throws Exception {
    AgentProcess agent = fleet.newAgent("full", List.of());
    String oldSerial = enrolled(agent);
    CredentialSet old = identity(agent, IdentityStore.CURRENT);
    agent.start();
    await().atMost(PATIENCE).until(() -> connected(agent));
    assertThat(relayStatus(old)).as("the old key before the rotation").isBetween(200, 299);

    AgentProcess.Result asked = agent.run("rotate");
    assertThat(asked.code()).as(asked.out()).isZero();
    await().atMost(PATIENCE).until(() -> rotatedAndConnected(agent, oldSerial));

    assertThat(relayStatus(old)).as("the old key after the confirm").isEqualTo(401);
    relayAcceptsTheAgentsKey(agent);
    agent.stop();
    CredentialSet now = identity(agent, IdentityStore.CURRENT);
    assertThat(now.apiKeyId()).isNotEqualTo(old.apiKeyId());
    assertThat(identity(agent, IdentityStore.PREVIOUS)).as("old material dropped").isNull();
    await().atMost(PATIENCE).until(() -> brokerRefuses(old));
    assertThat(brokerRefuses(now)).as("the new certificate connects").isFalse();
    String oldKey = new String(old.apiKey().bytes(), StandardCharsets.US_ASCII);
    String newKey = new String(now.apiKey().bytes(), StandardCharsets.US_ASCII);
    assertThat(java.nio.file.Files.readString(agent.log())).as("the agent's log names keys by id")
        .contains(now.apiKeyId());
    for (Path log : List.of(agent.log(), fleet.provisioning().serveLog())) {
      assertThat(java.nio.file.Files.readString(log)).as(log + " holds no API key").doesNotContain(oldKey)
          .doesNotContain(newKey);
    }
  }

  @Test
  void anAdminRotatesARunningAgentThroughTheServiceAndAViewerIsRefused() throws Exception {
    AgentProcess agent = fleet.newAgent("remote", List.of());
    String oldSerial = enrolled(agent);
    CredentialSet old = identity(agent, IdentityStore.CURRENT);
    String device = old.deviceId();
    agent.start();
    await().atMost(PATIENCE).until(() -> connected(agent));

    ProvisioningProcess.Result viewer = fleet.provisioning().runElsewhere("rotate", "--device", device, "--service",
        fleet.provisioning().adminUrl(), "--operator", fleet.operatorDir().resolve(Fleet.OPERATOR).toString());
    assertThat(viewer.code()).as(viewer.err()).isEqualTo(77);
    assertThat(viewer.err()).contains("needs role admin");
    ProvisioningProcess.Result unknown = fleet.asAdmin("rotate", "--device", "dev-0000000000000000");
    assertThat(unknown.code()).as(unknown.err()).isEqualTo(66);

    ProvisioningProcess.Result rotated = fleet.asAdmin("rotate", "--device", device, "--json");

    assertThat(rotated.code()).as(rotated.err()).isZero();
    Map<String, Object> answer = JsonParser.parseObject(rotated.out().strip());
    assertThat(answer).containsEntry("device", device).containsEntry("old_serial", oldSerial)
        .containsEntry("old_api_key", old.apiKeyId());
    assertThat(answer.get("new_serial")).isNotEqualTo(oldSerial);
    await().atMost(PATIENCE).until(() -> rotatedAndConnected(agent, oldSerial));
    assertThat(relayStatus(old)).as("the old key after the confirm").isEqualTo(401);
    relayAcceptsTheAgentsKey(agent);
    assertThat(fleet.asAdmin("audit").out()).contains("operator:" + Fleet.ADMIN).contains("rotate --device " + device);
    agent.stop();
    CredentialSet now = identity(agent, IdentityStore.CURRENT);
    assertThat(now.leaf().getSerialNumber().toString(16)).isEqualTo(answer.get("new_serial"));
    assertThat(now.apiKeyId()).isEqualTo(answer.get("new_api_key"));
  }

  @Test
  void withTheServiceStoppedRotateOnTheHostAnswersTheAgentAndTheBrokerHasTheCrlWhenItReturns() throws Exception {
    AgentProcess agent = fleet.newAgent("host", List.of());
    String oldSerial = enrolled(agent);
    CredentialSet old = identity(agent, IdentityStore.CURRENT);
    agent.start();
    await().atMost(PATIENCE).until(() -> connected(agent));
    fleet.provisioning().stopServe();
    try {
      ProvisioningProcess.Result rotated = fleet.provisioning().run("", "rotate", "--device", old.deviceId(),
          "--mqtt", fleet.broker().uri());

      assertThat(rotated.code()).as(rotated.out() + rotated.err()).isZero();
      // nothing else publishes a CRL while serve is stopped: the command took the broker round before it ended
      await().atMost(Duration.ofSeconds(10)).until(() -> brokerRefuses(old));
      await().atMost(PATIENCE).until(() -> rotatedAndConnected(agent, oldSerial));
    } finally {
      fleet.restartServe(List.of());
    }
    agent.stop();
    theNewSetWorksAndTheOldIsRefused(agent, old);
  }

  @Test
  void anAdminLabelsARunningAgentThroughTheServiceAndFleetRotateOfThatLabelRotatesItAlone() throws Exception {
    AgentProcess agent = fleet.newAgent("fleet", List.of());
    String oldSerial = enrolled(agent);
    String device = identity(agent, IdentityStore.CURRENT).deviceId();
    agent.start();
    await().atMost(PATIENCE).until(() -> connected(agent));

    ProvisioningProcess.Result labelled = fleet.asAdmin("devices", "label", device, "--add", "cohort-a");
    ProvisioningProcess.Result first = fleet.asAdmin("fleet", "rotate", "--label", "cohort-a", "--max-in-flight", "4",
        "--timeout", "15s", "--json");

    assertThat(labelled.out().strip()).as(labelled.err()).isEqualTo(device + ": cohort-a");
    assertThat(first.code()).as(first.err()).isZero();
    List<Map<String, Object>> rows = rows(first);
    assertThat(rows).as("the other tests' devices carry no label").hasSize(1);
    assertThat(rows.get(0)).containsEntry("device", device).containsEntry("result", "confirmed");
    assertThat(rows.get(0).get("new_serial")).isNotEqualTo(oldSerial);
    assertThat(first.err()).contains("rotating label cohort-a: 1 device(s)").contains("confirmed 1, offline-pending 0");
    await().atMost(PATIENCE).until(() -> rotatedAndConnected(agent, oldSerial));

    ProvisioningProcess.Result none = fleet.asAdmin("fleet", "rotate", "--label", "cohort-b");
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(none.err()).contains("rotating label cohort-b: 0 device(s)");
    assertThat(fleet.asAdmin("audit").out()).contains("fleet.rotate.started").contains("device.labels")
        .contains("operator:" + Fleet.ADMIN);
    agent.stop();
  }

  @Test
  void anAgentOfflineDuringAFleetRotationRotatesWhenItComesBackWithoutTheCampaignBeingRunAgain() throws Exception {
    AgentProcess agent = fleet.newAgent("away", List.of());
    String oldSerial = enrolled(agent);
    String device = identity(agent, IdentityStore.CURRENT).deviceId();
    assertThat(fleet.asAdmin("devices", "label", device, "--add", "cohort-away").code()).isZero();

    ProvisioningProcess.Result first = fleet.asAdmin("fleet", "rotate", "--label", "cohort-away", "--timeout", "2s",
        "--json");
    assertThat(first.code()).as(first.err()).isEqualTo(75);
    List<Map<String, Object>> rows = rows(first);
    assertThat(rows).singleElement().satisfies(r -> assertThat(r).containsEntry("result", "offline-pending"));

    agent.start(); // it comes back: its state says online, and the service sends the campaign's command
    try {
      await().atMost(PATIENCE).until(() -> rotatedAndConnected(agent, oldSerial));
      ProvisioningProcess.Result again = fleet.asAdmin("fleet", "rotate", "--label", "cohort-away");
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.err()).contains("1 already rotated, 0 to go");
      assertThat(Files.readString(fleet.provisioning().serveLog())).contains("device " + device + " is back online");
    } finally {
      agent.stop();
    }
  }

  @Test
  void anAgentWhoseCertificateExpiredWhileItWasStoppedRecoversOverHttpsAndConfirmsOverMqtt() throws Exception {
    AgentProcess agent = fleet.newAgent("expired", List.of());
    ProvisioningProcess.Result created = fleet.asAdmin("tokens", "create", "--profile", Fleet.BRIEF, "--json");
    assertThat(created.code()).as(created.err()).isZero();
    String token = (String) ((Map<?, ?>) ((List<?>) JsonParser.parse(created.out().strip())).get(0)).get("token");
    AgentProcess.Result enrolled = fleet.enroll(agent, token);
    assertThat(enrolled.code()).as(enrolled.out()).isZero();
    CredentialSet old = identity(agent, IdentityStore.CURRENT);
    // the agent stays stopped, as a device offline, until its certificate has expired
    await().atMost(Fleet.BRIEF_LIFETIME.multipliedBy(4)).pollInterval(Duration.ofMillis(500))
        .until(() -> Instant.now().isAfter(old.certificateNotAfter().plusSeconds(1)));
    assertThat(brokerRefuses(old)).as("the broker refuses the expired certificate").isTrue();

    agent.start();
    await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> fleet.asAdmin("audit", "--device",
        old.deviceId()).out().contains("rotation.confirmed"));
    agent.stop();

    CredentialSet now = identity(agent, IdentityStore.CURRENT);
    assertThat(now.leaf().getSerialNumber()).isNotEqualTo(old.leaf().getSerialNumber());
    assertThat(now.apiKeyId()).isNotEqualTo(old.apiKeyId());
    assertThat(Files.readString(agent.log())).contains("renewing over HTTPS (provisioning.url)")
        .doesNotContain(new String(now.apiKey().bytes(), StandardCharsets.US_ASCII));
    assertThat(Files.readString(fleet.provisioning().serveLog())).contains("recovery request");
    assertThat(relayStatus(old)).as("the old key after the confirm").isEqualTo(401);
  }

  @ParameterizedTest
  @EnumSource(RotationStep.class)
  void anAgentHaltedRightAfterEachStepEndsConnectedWithAnIdentityTheBrokerAndTheRelayAccept(RotationStep step)
      throws Exception {
    AgentProcess crashing = fleet.newAgent("crash-" + step.name().toLowerCase(java.util.Locale.ROOT), List.of(),
        List.of("env", "JAVA_TOOL_OPTIONS=-Dholdfast.test.crash-after-step=" + step.name()));
    String oldSerial = enrolled(crashing);
    CredentialSet old = identity(crashing, IdentityStore.CURRENT);
    crashing.start();
    await().atMost(PATIENCE).until(() -> connected(crashing));

    assertThat(crashing.run("rotate").code()).isZero();
    await().atMost(PATIENCE).until(() -> !crashing.isAlive());

    AgentProcess agent = crashing.withWrapper(List.of());
    try {
      agent.start();
      await().atMost(PATIENCE).until(() -> rotatedAndConnected(agent, oldSerial));
      relayAcceptsTheAgentsKey(agent);
      agent.stop();
    } finally {
      agent.close();
    }
    assertThat(identity(agent, IdentityStore.PREVIOUS)).isNull();
    assertThat(identity(agent, IdentityStore.PENDING_SET)).isNull();
    theNewSetWorksAndTheOldIsRefused(agent, old);
  }

  @ParameterizedTest
  @EnumSource(ServiceStep.class)
  void aServiceHaltedRightAfterEachOfItsStepsFinishesTheRotationOnceStartedAgain(ServiceStep step) throws Exception {
    AgentProcess agent = fleet.newAgent("service-" + step.name().toLowerCase(java.util.Locale.ROOT),
        List.of("rotation.answer-timeout = 3s"));
    String oldSerial = enrolled(agent);
    CredentialSet old = identity(agent, IdentityStore.CURRENT);
    try {
      agent.start();
      await().atMost(PATIENCE).until(() -> connected(agent));
      fleet.restartServe(List.of("-D" + HALT_AFTER + "=" + step.name()));
      try {
        assertThat(agent.run("rotate").code()).isZero();
        await().atMost(PATIENCE).until(() -> fleet.provisioning().serveExited());
      } finally {
        fleet.restartServe(List.of());
      }
      // the agent asks again after its answer timeout and backoff; rotate asks at once
      assertThat(agent.run("rotate").code()).isZero();
      await().atMost(PATIENCE).until(() -> rotatedAndConnected(agent, oldSerial));
      relayAcceptsTheAgentsKey(agent);
      agent.stop();
    } finally {
      agent.close();
    }
    theNewSetWorksAndTheOldIsRefused(agent, old);
  }

  /** The stopped agent's current set: the relay takes its key and the broker its certificate; not so {@code old}. */
  void theNewSetWorksAndTheOldIsRefused(AgentProcess agent, CredentialSet old) throws Exception {
    CredentialSet now = identity(agent, IdentityStore.CURRENT);
    assertThat(relayStatus(now)).isBetween(200, 299);
    assertThat(relayStatus(old)).isEqualTo(401);
    await().atMost(PATIENCE).until(() -> brokerRefuses(old));
    assertThat(brokerRefuses(now)).isFalse();
  }
}
