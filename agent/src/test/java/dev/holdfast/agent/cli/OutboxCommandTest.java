package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send}, {@code outbox} and {@code status} with no agent running: they work on the vault
 * directly, through the same request handler the socket uses.
 */
class OutboxCommandTest {
  @TempDir Path home;
  AgentFixture f;
  Path config;

  @BeforeEach
  void init() throws Exception {
    f = new AgentFixture(home);
    config = f.initVaultWithConfig();
  }

  private AgentFixture.Result agent(String stdin, String... args) {
    return f.agentWithConfig(config, stdin, args);
  }

  private String sendSms(String to, String body) {
    AgentFixture.Result r = agent(body, "send", "sms", "--to", to, "--body-file", "-");
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().strip();
  }

  @Test
  void sendPrintsTheIdOfTheQueuedRecordAndListShowsItWithoutItsDestination() {
    String id = sendSms("+15551234567", "door opened");
    AgentFixture.Result list = agent("", "outbox", "list");
    assertThat(list.out()).contains(id).contains("sms").doesNotContain("+15551234567").doesNotContain("door opened");
    AgentFixture.Result show = agent("", "outbox", "show", id);
    assertThat(show.out()).contains("+15551234567").contains("door opened");
  }

  @Test
  void aNumberThatIsNotE164IsRefusedWithExit65AndSaysWhatIsAllowed() {
    AgentFixture.Result r = agent("x", "send", "sms", "--to", "555-1234", "--body-file", "-");
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.error()).contains("E.164").contains("+15551234567");
    assertThat(agent("", "status", "--json").out()).contains("\"queued\":0");
  }

  @Test
  void aUrlThatIsNotHttpIsRefusedWithExit65() {
    AgentFixture.Result r = agent("{}", "send", "webhook", "--url", "ftp://example.test/x", "--body-file", "-");
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.error()).contains("http:// or https://");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWithExit65AndNamesTheSetting() throws Exception {
    Files.writeString(config, "outbox.max-body-bytes = 10\n", java.nio.file.StandardOpenOption.APPEND);
    AgentFixture.Result r = agent("x".repeat(11), "send", "sms", "--to", "+15551234567", "--body-file", "-");
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.error()).contains("outbox.max-body-bytes");
  }

  @Test
  void aFullOutboxIsRefusedWithExit75() throws Exception {
    Files.writeString(config, "outbox.max-records = 1\n", java.nio.file.StandardOpenOption.APPEND);
    sendSms("+15551234567", "first");
    AgentFixture.Result r = agent("second", "send", "sms", "--to", "+15551234567", "--body-file", "-");
    assertThat(r.code()).isEqualTo(75);
    assertThat(r.error()).contains("full").contains("outbox.max-records=1");
  }

  @Test
  void aMissingBodyFileIsExit66() {
    AgentFixture.Result r = agent("", "send", "sms", "--to", "+15551234567", "--body-file",
        home.resolve("nope.txt").toString());
    assertThat(r.code()).isEqualTo(66);
    assertThat(r.error()).contains("nope.txt");
  }

  @Test
  void theSameIdempotencyKeyGivesTheSameRecordOnceAndAnotherMessageWithItIsExit65() {
    AgentFixture.Result a = agent("hi", "send", "sms", "--to", "+15551234567", "--body-file", "-",
        "--idempotency-key", "order-17");
    AgentFixture.Result b = agent("hi", "send", "sms", "--to", "+15551234567", "--body-file", "-",
        "--idempotency-key", "order-17");
    assertThat(b.out()).isEqualTo(a.out());
    AgentFixture.Result c = agent("other", "send", "sms", "--to", "+15551234567", "--body-file", "-",
        "--idempotency-key", "order-17");
    assertThat(c.code()).isEqualTo(65);
    assertThat(c.error()).contains("idempotency key");
  }

  @Test
  void dropAsksFirstAndOnlyAYesDropsTheRecord() {
    String id = sendSms("+15551234567", "hi");
    AgentFixture.Result no = agent("n\n", "outbox", "drop", id);
    assertThat(no.code()).isEqualTo(64);
    assertThat(no.error()).contains("not dropped");
    assertThat(agent("y\n", "outbox", "drop", id).code()).isZero();
    assertThat(agent("", "outbox", "show", id).code()).isEqualTo(66);
  }

  @Test
  void dropWithYesDoesNotAsk() {
    String id = sendSms("+15551234567", "hi");
    AgentFixture.Result r = agent("", "outbox", "drop", id, "--yes");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("dropped " + id);
  }

  @Test
  void statusSaysTheAgentIsNotRunningAndShowsTheDepth() {
    sendSms("+15551234567", "hi");
    sendSms("+15551234567", "there");
    AgentFixture.Result text = agent("", "status");
    assertThat(text.out()).contains("not running").contains("queued:   2");
    assertThat(text.out()).contains("health:   UNHEALTHY", "  - the agent is not running");
    assertThat(text.code()).as("monitoring sees a stopped agent").isEqualTo(1);
    AgentFixture.Result json = agent("", "status", "--json");
    assertThat(json.out()).contains("\"queued\":2").contains("\"channels\"")
        .contains("\"healthy\":false");
    assertThat(json.code()).isEqualTo(1);
  }

  @Test
  void retryOfAnUnknownRecordIsExit66() {
    AgentFixture.Result r = agent("", "outbox", "retry", "0000000000000000");
    assertThat(r.code()).as(r.err()).isEqualTo(66);
    assertThat(r.error()).contains("no outbox record 0000000000000000");
  }

  @Test
  void messageValuesAreNotReadableInTheDataDirectoryWhileQueued() throws Exception {
    sendSms("+15559876543", "the vault door code is 4711");
    assertThat(Files.list(f.dataDir.resolve("outbox"))).as("the outbox's segments are scanned too")
        .anyMatch(p -> p.toString().endsWith(".seg"));
    dev.holdfast.testkit.SecretScan.assertNoneIn(f.dataDir, List.of("+15559876543", "15559876543", "4711"));
  }

  @Test
  void aDamagedOutboxIsExit65NamingWhatIsLostAndRepairKeepsWhatIsIntact() throws Exception {
    sendSms("+15551234567", "one");
    sendSms("+15551234567", "two");
    Path outbox = f.dataDir.resolve("outbox");
    List<Path> segments;
    try (var s = Files.list(outbox)) {
      segments = s.filter(p -> p.toString().endsWith(".seg")).toList();
    }
    assertThat(segments).hasSize(1);
    byte[] content = Files.readAllBytes(segments.get(0));
    content[64 + 28 + 40] ^= 1; // the first record's batch; the second's follows intact
    Files.write(segments.get(0), content);

    for (String[] command : List.of(new String[] {"outbox", "list"}, new String[] {"status"}, new String[] {"run"})) {
      AgentFixture.Result r = agent("", command);
      assertThat(r.code()).as("%s: %s", List.of(command), r.err()).isEqualTo(65);
      assertThat(r.error()).contains(segments.get(0).toString()).contains("is damaged").contains("are lost")
          .contains("outbox repair --accept-loss");
    }
    assertThat(Files.readAllBytes(segments.get(0))).as("nothing changed").isEqualTo(content);
    assertThat(agent("", "outbox", "repair").code()).as("--accept-loss is required").isEqualTo(64);

    AgentFixture.Result repaired = agent("", "outbox", "repair", "--accept-loss");
    assertThat(repaired.code()).as(repaired.err()).isZero();
    assertThat(repaired.out()).contains("lost: ").contains("kept 1 queued record(s)").contains("outbox.damaged-1");
    AgentFixture.Result list = agent("", "outbox", "list", "--json");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out().split("\"id\"", -1)).hasSize(2);
    sendSms("+15551234567", "three");
  }

  /** Sends with {@code send}, then reads back the stored body with {@code outbox show --json}. */
  private String storedBody(String stdin, String... send) throws Exception {
    AgentFixture.Result sent = agent(stdin, send);
    assertThat(sent.code()).as(sent.err()).isZero();
    AgentFixture.Result show = agent("", "outbox", "show", sent.out().strip(), "--json");
    assertThat(show.code()).as(show.err()).isZero();
    Object body = dev.holdfast.protocol.json.JsonParser.parseObject(show.out().strip()).get("body");
    assertThat(body).as(show.out()).isInstanceOf(String.class);
    return (String) body;
  }

  @Test
  void anSmsBodyPipedFromEchoLosesItsOneTrailingNewline() throws Exception {
    assertThat(storedBody("Door opened\n", "send", "sms", "--to", "+15551234567", "--body-file", "-"))
        .isEqualTo("Door opened");
  }

  @Test
  void onlyOneTrailingNewlineIsStrippedFromAnSmsBodyAndACrLfCountsAsOne() throws Exception {
    assertThat(storedBody("two lines\n\n", "send", "sms", "--to", "+15551234567", "--body-file", "-"))
        .isEqualTo("two lines\n");
    Path file = home.resolve("body.txt");
    Files.writeString(file, "from a file\r\n");
    assertThat(storedBody("", "send", "sms", "--to", "+15551234567", "--body-file", file.toString()))
        .isEqualTo("from a file");
    assertThat(storedBody("no newline", "send", "sms", "--to", "+15551234567", "--body-file", "-"))
        .isEqualTo("no newline");
  }

  @Test
  void webhookAndEventBodiesKeepTheirTrailingNewlineByteForByte() throws Exception {
    assertThat(storedBody("{\"door\":\"open\"}\n", "send", "webhook", "--url", "https://example.com/hook",
        "--body-file", "-")).isEqualTo("{\"door\":\"open\"}\n");
    assertThat(storedBody("temp=21.5\n", "send", "event", "--body-file", "-")).isEqualTo("temp=21.5\n");
  }

  @Test
  void theSmsHelpSaysTheTrailingNewlineIsStripped() {
    AgentFixture.Result help = f.run("send", "sms", "--help");
    assertThat(help.out()).contains("One trailing newline").contains("is stripped");
    assertThat(f.run("send", "webhook", "--help").out()).contains("byte for byte");
  }
}
