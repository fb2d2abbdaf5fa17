package dev.holdfast.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.Producer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a 4 MiB tmpfs: the outbox fills the disk before its own limits. A send
 * that cannot be made durable is refused with a clear error; the agent keeps running and
 * answering; every record acknowledged before is still there; the vault opens and verifies.
 */
class OutboxDiskFullIT {
  @TempDir Path home;
  Path mount;

  private static int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (" + code + "): " + out
          + " — this test mounts a small tmpfs and must run as root, as CI does");
    }
    return code;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      sh("umount", "-l", mount.toString());
    }
  }

  @Test
  void aFullDiskRefusesNewMessagesClearlyAndLosesNothingAcknowledged() throws Exception {
    Path agentHome = home.resolve("agent");
    Files.createDirectories(agentHome.resolve("data"));
    sh("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", agentHome.resolve("data").toString());
    mount = agentHome.resolve("data");
    try (AgentProcess agent = AgentProcess.create(agentHome, List.of("log.level = warn",
        "outbox.max-bytes = 1GiB", "outbox.max-records = 100000", "outbox.retry.base = 10m",
        "outbox.retry.cap = 10m"), List.of())) {
      agent.start();
      String body = "x".repeat(60_000);
      int acked = 0;
      Producer.Outcome last;
      try (Producer p = new Producer(agent.socket())) {
        while ((last = p.send(Producer.webhook("http://127.0.0.1:9/full", "k" + acked, body)))
            == Producer.Outcome.ACKED) {
          acked++;
          assertThat(acked).as("the 4 MiB disk should be full long before this").isLessThan(200);
        }
      }
      assertThat(last).isEqualTo(Producer.Outcome.REFUSED);
      assertThat(acked).isPositive();

      Path bodyFile = home.resolve("body.txt");
      Files.writeString(bodyFile, body);
      AgentProcess.Result refused = agent.run("send", "webhook", "--url", "http://127.0.0.1:9/full",
          "--body-file", bodyFile.toString());
      assertThat(refused.code()).as(refused.out()).isEqualTo(74);
      assertThat(refused.out()).contains("could not save").contains("free disk space");

      assertThat(agent.isAlive()).isTrue();
      Map<String, Object> status = Producer.ask(agent.socket(), Map.of("op", "status")).orElseThrow();
      assertThat(status).containsEntry("ok", true);
      assertThat(status.get("status").toString()).contains("queued=" + acked);

      assertThat(agent.stop()).isEqualTo(143);
      AgentProcess.Result verify = agent.run("vault", "verify");
      assertThat(verify.code()).as(verify.out()).isZero();
      AgentProcess.Result list = agent.run("outbox", "list", "--json");
      assertThat(list.out().split("\"id\"", -1)).hasSize(acked + 1);
    }
  }
}
