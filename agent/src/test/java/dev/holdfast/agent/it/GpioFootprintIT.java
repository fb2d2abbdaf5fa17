package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pi4J and its plugins cost nothing when no pin is configured: the JVM's class-load log of a real
 * agent process (run, a send, SIGTERM) names none of their classes, though they are in the jar.
 */
class GpioFootprintIT {
  @TempDir Path home;

  /** Runs the agent jar with the JVM logging every class it loads to {@code log}. */
  private AgentJar.Run runLogged(Path log, String... args) throws Exception {
    ProcessBuilder pb = AgentJar.builder(home, args).redirectErrorStream(true);
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new AgentJar.Run(p.exitValue(), out, out);
  }

  @Test
  void withoutGpioSettingsTheAgentLoadsNoPi4jClass() throws Exception {
    try (JarFile jar = new JarFile(AgentJar.JAR.toFile())) {
      assertThat(jar.getEntry("com/pi4j/Pi4J.class")).as("Pi4J is in the jar").isNotNull();
    }
    Path socket = home.resolve("agent.sock");
    Files.writeString(home.resolve("agent.conf"), "local.socket = " + socket + "\n");
    String[] where = {"--config", "agent.conf", "--data-dir", "data", "--key-file", "store.key"};
    AgentJar.newVault(home, where);

    Path log = home.resolve("classes.log");
    ProcessBuilder pb = AgentJar.builder(home, concat(new String[] {"run"}, where))
        .redirectErrorStream(true).redirectOutput(home.resolve("agent.log").toFile());
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
    Process agent = pb.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !agent.isAlive() || Files.exists(socket));
      AgentJar.Run sent = AgentJar.run(home, "hello",
          concat(new String[] {"send", "sms", "--to", "+15551234567", "--body-file", "-"}, where));
      assertThat(sent.code()).as(sent.err()).isZero();
    } finally {
      agent.destroy();
      assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    List<String> loaded = Files.readAllLines(log);
    assertThat(loaded).as("the log is the agent's").anyMatch(l -> l.contains("dev.holdfast.agent.cli.RunCommand "))
        .anyMatch(l -> l.contains("dev.holdfast.agent.cli.GpioWiring "));
    assertThat(loaded).noneMatch(l -> l.contains(" com.pi4j.")).noneMatch(l -> l.contains(" org.slf4j."));
  }

  @Test
  void aPinConfiguredOnAMachineWithoutGpioIsRefusedBeforePi4jLoads() throws Exception {
    Files.writeString(home.resolve("agent.conf"), """
        gpio.input.door.pin = 17
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        """);
    Path log = home.resolve("classes.log");
    AgentJar.Run list = runLogged(log, "gpio", "list", "--config", "agent.conf");
    assertThat(list.code()).isEqualTo(78);
    assertThat(list.out()).contains("holdfast-agent: gpio.input.door.pin = 17: this machine has no GPIO");
    assertThat(Files.readAllLines(log)).anyMatch(l -> l.contains("dev.holdfast.agent.gpio.SystemGpio "))
        .noneMatch(l -> l.contains(" com.pi4j."));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
