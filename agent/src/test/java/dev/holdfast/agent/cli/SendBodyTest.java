package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --body-file} puts in the record: SMS text loses one trailing newline, other bodies stay byte-exact. */
class SendBodyTest {
  @TempDir Path home;
  AgentFixture f;
  Path config;

  @BeforeEach
  void init() throws Exception {
    f = new AgentFixture(home);
    config = f.initVaultWithConfig();
  }

  private String storedBody(String stdin, String... send) throws Exception {
    AgentFixture.Result sent = f.agentWithConfig(config, stdin, send);
    assertThat(sent.code()).as(sent.err()).isZero();
    AgentFixture.Result show = f.agentWithConfig(config, "", "outbox", "show", sent.out().strip(), "--json");
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
