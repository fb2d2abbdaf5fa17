package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.SectionedReport;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.DeviceIds;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.broker.BrokerCertificates;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.testkit.BrokerFiles;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.ShippedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * Part 2: the packaged agent as a real process, enrolled with {@code holdfast-agent enroll
 * --token-file -} against the in-process API server, then started with {@code run} against a real
 * Mosquitto (shipped config and ACL, certificates and CRL from the same CA); timed from process
 * start to the arrival of its retained state with {@code "online":true} at a subscriber connected
 * as the provisioning service. Baseline: the same JVM command line running {@code --version}.
 */
final class OnlinePart {
  private static final Pattern DEVICE_ID = DeviceIds.ASSIGNED;

  /** Nanoseconds of each repetition: the baseline, the local socket answering, the online state. */
  record Runs(Latencies version, Latencies socket, Latencies online, int count) {}

  private OnlinePart() {}

  static Runs run(Path work, int runs) throws Exception {
    try (Fleet fleet = new Fleet(2)) {
      Path etc = work.resolve("etc-mosquitto-holdfast");
      Files.createDirectories(etc);
      BrokerCertificates.write(etc, fleet.services.server("broker.tls", List.of("localhost", "127.0.0.1"), "bench"),
          fleet.registry.write(fleet.ca::crl));
      Files.copy(ShippedFiles.acl(), etc.resolve("holdfast.acl"));
      try (Mosquitto broker = new Mosquitto(new BrokerFiles(etc.resolve(BrokerCertificates.CA_CHAIN),
          etc.resolve(BrokerCertificates.SERVER_CHAIN), etc.resolve(BrokerCertificates.SERVER_KEY),
          etc.resolve(BrokerCertificates.CRL), etc.resolve("holdfast.acl")), work.resolve("mosquitto")).start();
           AgentProcess agent = AgentProcess.create(work.resolve("agent"),
               List.of("log.level = warn", "mqtt.broker = " + broker.uri()), List.of())) {
        String deviceId = enroll(agent, fleet, work.resolve("fleet-root.pem"));
        SSLSocketFactory service = ServiceTls.context(fleet.services.serviceClient("service.mqtt", "bench"),
            fleet.root(), fleet.random).getSocketFactory();
        try (StateWatcher watcher = new StateWatcher(broker.uri(), ServiceCredentials.SERVICE_CN, service,
            Topics.state(deviceId))) {
          Runs out = new Runs(new Latencies(), new Latencies(), new Latencies(), runs);
          for (int i = 0; i <= runs; i++) { // run 0 warms the page cache and the broker; discarded
            long version = versionOnce(agent);
            long[] online = onlineOnce(agent, watcher);
            System.out.printf("  %s: --version %s ms, socket %s ms, online %s ms%n", i == 0 ? "warm-up" : "run " + i,
                SectionedReport.number(version / 1e6), SectionedReport.number(online[0] / 1e6), SectionedReport.number(online[1] / 1e6));
            if (i > 0) {
              out.version().add(version);
              out.socket().add(online[0]);
              out.online().add(online[1]);
            }
          }
          return out;
        }
      }
    }
  }

  /** {@code enroll --token-file -} with the token on standard input; returns the device id it printed. */
  private static String enroll(AgentProcess agent, Fleet fleet, Path root) throws Exception {
    Files.writeString(root, Pem.certificates(List.of(fleet.root())), StandardCharsets.US_ASCII);
    Secret token = fleet.tokens(1).get(0);
    byte[] input = token.bytes();
    AgentProcess.Result r;
    try {
      r = agent.runWithInput(input, "enroll", "--token-file", "-", "--server", fleet.server().toString(),
          "--fleet-root", root.toString());
    } finally {
      Arrays.fill(input, (byte) 0);
      token.destroy();
    }
    Matcher id = DEVICE_ID.matcher(r.out());
    if (r.code() != 0 || !id.find()) {
      throw new IllegalStateException("holdfast-agent enroll exited with " + r.code() + ": " + r.out());
    }
    return id.group();
  }

  private static long versionOnce(AgentProcess agent) throws Exception {
    long t0 = System.nanoTime();
    AgentProcess.Result r = agent.run("--version");
    long elapsed = System.nanoTime() - t0;
    if (r.code() != 0 || r.out().isBlank()) {
      throw new IllegalStateException("holdfast-agent --version exited with " + r.code() + ": " + r.out());
    }
    return elapsed;
  }

  /** Starts {@code run}; returns nanoseconds to its local socket answering and to its online state. */
  private static long[] onlineOnce(AgentProcess agent, StateWatcher watcher) throws Exception {
    CompletableFuture<Long> online = watcher.arm();
    long t0 = System.nanoTime();
    agent.start();
    long socket = System.nanoTime() - t0;
    long at;
    try {
      at = online.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no retained online state within 60 s of starting the agent; see "
          + agent.log(), e);
    }
    CompletableFuture<Long> offline = watcher.armOffline();
    int code = agent.stop();
    if (code != 0 && code != 143) { // 143: the JVM's status after SIGTERM and its shutdown hooks
      throw new IllegalStateException("the agent exited with " + code + " on SIGTERM; see " + agent.log());
    }
    offline.get(30, TimeUnit.SECONDS);
    return new long[] {socket, at - t0};
  }
}
