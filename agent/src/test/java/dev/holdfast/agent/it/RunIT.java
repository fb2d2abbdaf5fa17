package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast-agent run} as a real process: the socket, SIGTERM, and a second agent. */
class RunIT {
  @TempDir Path home;
  Path socket;
  String[] where;
  Process agent;

  @BeforeEach
  void init() throws Exception {
    socket = home.resolve("agent.sock");
    Files.writeString(home.resolve("agent.conf"), "local.socket = " + socket + "\n");
    where = new String[] {"--config", "agent.conf", "--data-dir", "data", "--key-file", "store.key"};
    AgentJar.newVault(home, where);
  }

  @AfterEach
  void kill() {
    if (agent != null) {
      agent.destroyForcibly();
    }
  }

  private String[] with(String... args) {
    return AgentJar.with(where, args);
  }

  private Process startAgent() throws Exception {
    Process p = AgentJar.builder(home, with("run"))
        .redirectErrorStream(true).redirectOutput(home.resolve("agent.log").toFile()).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive() || Files.exists(socket));
    return p;
  }

  @Test
  void sendGoesThroughTheRunningAgentAndSigtermStopsItCleanlyWithTheRecordKept() throws Exception {
    agent = startAgent();
    AgentJar.Run sent = AgentJar.run(home, "hello", with("send", "sms", "--to", "+15551234567", "--body-file", "-"));
    assertThat(sent.code()).as(sent.err()).isZero();
    AgentJar.Run status = AgentJar.run(home, "", with("status"));
    assertThat(status.out()).contains("agent:    running").contains("queued:   1");

    agent.destroy(); // SIGTERM
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).as("the JVM's exit status after SIGTERM (systemd: SuccessExitStatus=143)")
        .isEqualTo(143);
    String log = Files.readString(home.resolve("agent.log"), StandardCharsets.UTF_8);
    assertThat(log).contains("stopped; vault closed");
    assertThat(socket).doesNotExist();

    AgentJar.Run after = AgentJar.run(home, "", with("outbox", "list"));
    assertThat(after.out()).contains(sent.out().strip());
    assertThat(AgentJar.run(home, "", with("vault", "verify")).code()).isZero();
  }

  @Test
  void anOutboxTooLargeForTheHeapEndsRunWithExit78BeforeTheVaultIsOpened() throws Exception {
    Files.writeString(home.resolve("agent.conf"), "local.socket = " + socket + "\noutbox.max-records = 1000000\n");
    Process p = AgentJar.builder(home, java.util.List.of("-Xmx64m"), with("run")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(78);
    assertThat(out).contains("outbox.max-records = 1000000 needs about 172 MiB").contains("-Xmx");
    assertThat(socket).doesNotExist();
  }

  @Test
  void aSecondAgentOnTheSameVaultIsRefusedWithExit75() throws Exception {
    agent = startAgent();
    AgentJar.Run second = AgentJar.run(home, "", with("run"));
    assertThat(second.code()).isEqualTo(75);
    assertThat(second.err()).contains("in use");
    assertThat(agent.isAlive()).isTrue();
  }
}
