package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testkit.NotifySocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast-agent run} as systemd's {@code Type=notify} service sees it: the agent jar in a
 * real process, a real unix datagram socket as {@code NOTIFY_SOCKET}, and the real
 * {@code systemd-notify} carrying the messages.
 */
class ServiceNotifyIT {
  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path home;
  Path socket;
  String[] where;
  Process agent;
  NotifySocket systemd;

  @BeforeEach
  void init() throws Exception {
    socket = home.resolve("agent.sock");
    where = new String[] {"--data-dir", "data", "--key-file", "store.key", "--socket", socket.toString()};
    AgentJar.newVault(home, where);
    systemd = NotifySocket.open(home);
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.destroyForcibly();
    }
    systemd.close();
  }

  private String[] with(String... args) {
    return AgentJar.with(where, args);
  }

  @Test
  void readyComesOnceTheSocketAnswersThenWatchdogPingsAndTheStatusLineFollowTheQueueAndStoppingEndsIt()
      throws Exception {
    ProcessBuilder pb = AgentJar.builder(home, with("run")).redirectErrorStream(true)
        .redirectOutput(home.resolve("agent.log").toFile());
    pb.environment().put("NOTIFY_SOCKET", systemd.path().toString());
    pb.environment().put("WATCHDOG_USEC", "2000000");
    agent = pb.start();

    NotifySocket.Message ready = systemd.next(m -> m.contains("READY=1"), START);
    assertThat(ready.text()).isEqualTo("READY=1|STATUS=0 queued, 0 dead; mqtt off");
    assertThat(socket).as("bound before READY").exists();
    AgentJar.Run status = AgentJar.run(home, "", with("status", "--json"));
    assertThat(status.out()).contains("\"agent_running\":true").contains("\"healthy\":true");
    assertThat(status.code()).as("healthy").isZero();

    systemd.next(m -> m.contains("WATCHDOG=1"), Duration.ofSeconds(10));
    systemd.next(m -> m.contains("WATCHDOG=1"), Duration.ofSeconds(10));

    AgentJar.Run sent = AgentJar.run(home, "door opened", with("send", "sms", "--to", "+15551234567",
        "--body-file", "-"));
    assertThat(sent.code()).as(sent.err()).isZero();
    systemd.next(m -> m.contains("STATUS=1 queued, 0 dead; mqtt off"), Duration.ofSeconds(10));

    agent.destroy(); // SIGTERM, as systemctl stop
    systemd.next(m -> m.contains("STOPPING=1"), Duration.ofSeconds(30));
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isEqualTo(143);
    AgentJar.Run stopped = AgentJar.run(home, "", with("status"));
    assertThat(stopped.code()).as("not running is unhealthy").isEqualTo(1);
    assertThat(stopped.out()).contains("health:   UNHEALTHY", "the agent is not running");
    assertThat(Files.readString(home.resolve("agent.log"))).doesNotContain("could not notify systemd");
  }
}
