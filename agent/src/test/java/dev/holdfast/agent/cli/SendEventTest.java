package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code send event} with no agent running: the record goes into the vault on the mqtt channel. */
class SendEventTest {
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

  @Test
  void anEventIsQueuedForTheEventsTopicWithItsKeyAndContentType() {
    AgentFixture.Result sent = agent("temp=21.5", "send", "event", "--body-file", "-", "--content-type", "text/plain",
        "--idempotency-key", "reading-7", "--ttl", "1h");
    assertThat(sent.code()).as(sent.err()).isZero();
    String id = sent.out().strip();
    AgentFixture.Result show = agent("", "outbox", "show", id, "--json");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("\"channel\":\"mqtt\"").contains("\"events\"").contains("reading-7")
        .contains("text/plain").contains("temp=21.5");
  }

  @Test
  void anEventWithAnEmptyBodyIsRefusedWithExit65() {
    AgentFixture.Result r = agent("", "send", "event", "--body-file", "-");
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.error()).contains("empty");
    assertThat(agent("", "status", "--json").out()).contains("\"queued\":0");
  }

  @Test
  void sendWithoutWhatToSendNamesTheEventChannelToo() {
    AgentFixture.Result r = agent("", "send");
    assertThat(r.code()).isEqualTo(64);
    assertThat(r.error()).contains("send event");
  }
}
