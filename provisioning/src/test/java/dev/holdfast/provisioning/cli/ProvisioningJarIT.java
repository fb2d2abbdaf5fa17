package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.relay.IdempotencyStore;
import dev.holdfast.provisioning.testing.FakeTwilio;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.ConfigLines;
import dev.holdfast.vault.KeyFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as operators run it: separate processes, openssl-made CSRs, the relay over TLS. */
class ProvisioningJarIT {
  static final Path JAR = Path.of("target/holdfast-provisioning.jar");
  @TempDir Path root;

  record Run(int exit, String out, String err) {}

  Run run(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  @Test
  void runsFromInitToASentMessageThroughTheRelayAndReportsTheVaultInUse() throws Exception {
    Path dir = root.resolve("data");
    Path key = root.resolve("store.key");
    KeyFiles.generate(key, TestRandom.seeded(81));
    String[] common = {"--dir", dir.toString(), "--key-file", key.toString()};

    assertThat(run("", "--help").exit()).isZero();
    assertThat(run("", concat(new String[] {"init"}, common)).exit()).isZero();
    Path csr = root.resolve("device.csr");
    Process openssl = new ProcessBuilder("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=whatever", "-keyout", root.resolve("device.key").toString(),
        "-out", csr.toString()).redirectErrorStream(true).start();
    openssl.getInputStream().readAllBytes();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(run("", concat(new String[] {"certs", "issue", "--csr", csr.toString(), "--device", "door-1"}, common))
        .exit()).isZero();
    String apiKey = run("", concat(new String[] {"keys", "create", "--device", "door-1"}, common)).out().lines()
        .findFirst().orElseThrow();
    assertThat(run("sms-token-xyz\n", concat(new String[] {"relay", "set-auth-token"}, common)).exit()).isZero();

    try (FakeTwilio twilio = new FakeTwilio()) {
      ConfigLines.set(dir.resolve(ProvisioningConfig.FILE), "relay.upstream.account-sid=AC123",
          "relay.upstream.from=+15550001111", "relay.upstream.base-url=" + twilio.baseUrl());
      List<String> relayErr = new CopyOnWriteArrayList<>();
      List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "relay", "--listen", "127.0.0.1:0"));
      cmd.addAll(List.of(common));
      HttpRequest message = null;
      HttpResponse<String> sent = null;
      try (RelayProcess relay = RelayProcess.start(cmd, relayErr)) {
        message = HttpRequest.newBuilder(URI.create("https://localhost:" + relay.port() + "/v1/messages"))
            .header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", "it-1")
            .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+15551230000\",\"body\":\"hello\"}")).build();
        sent = client(dir).send(message, HttpResponse.BodyHandlers.ofString());
        Run whileRunning = run("", concat(new String[] {"keys", "list"}, common));

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        assertThat(twilio.received()).hasSize(1);
        assertThat(twilio.received().get(0).form()).containsEntry("From", "+15550001111");
        assertThat(whileRunning.exit()).isEqualTo(ExitCode.TEMP_FAIL.code());
        assertThat(whileRunning.err()).contains("in use");
      }
      try (RelayProcess restarted = RelayProcess.start(cmd, relayErr)) {
        HttpResponse<String> again = client(dir).send(HttpRequest.newBuilder(message, (n, v) -> true)
            .uri(URI.create("https://localhost:" + restarted.port() + "/v1/messages")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).as("replayed from the registry after a restart").isEqualTo(sent.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(twilio.received()).hasSize(1);
      }
      assertThat(String.join("\n", relayErr)).doesNotContain(apiKey).doesNotContain("sms-token-xyz");

      Path log;
      try (var files = Files.list(dir.resolve(IdempotencyStore.DIR))) {
        log = files.findFirst().orElseThrow();
      }
      byte[] damaged = Files.readAllBytes(log);
      damaged[damaged.length / 3] ^= 1;
      damaged[damaged.length - 1] ^= 1; // the first batch and the last: no crash leaves both
      Files.write(log, damaged);
      Path out = root.resolve("damaged-relay.log");
      Process refused = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertThat(refused.waitFor(60, TimeUnit.SECONDS)).as("the relay refuses to start").isTrue();
      assertThat(refused.exitValue()).isEqualTo(ExitCode.DATA_ERROR.code());
      assertThat(Files.readString(out)).contains(log.toString()).contains("nothing was changed");
      assertThat(Files.readAllBytes(log)).isEqualTo(damaged);
    }
    Run audit = run("", concat(new String[] {"audit", "--json"}, common));
    assertThat(audit.out()).contains("key.created").doesNotContain(apiKey);
  }

  @Test
  void exitsWith64OnUsageErrorsAnd66WithoutADataDirectory() throws Exception {
    assertThat(run("", "certs", "revoke").exit()).isEqualTo(ExitCode.USAGE.code());
    Run missing = run("", "devices", "list", "--dir", root.resolve("nothing").toString());
    assertThat(missing.exit()).isEqualTo(ExitCode.NO_INPUT.code());
    assertThat(missing.err()).contains("init");
  }

  /** A relay process on a free port; closing it sends SIGTERM and waits. */
  record RelayProcess(Process process, Thread pump, int port) implements AutoCloseable {
    static final Pattern LISTENING = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)");

    static RelayProcess start(List<String> cmd, List<String> err) throws Exception {
      int before = err.size();
      Process p = new ProcessBuilder(cmd).start();
      Thread pump = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
          r.lines().forEach(err::add);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          // The JDK closes a dead process's pipe under a reader that is still in it.
          err.add("read failed: " + e);
        }
      });
      pump.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> err.stream().skip(before)
          .anyMatch(l -> LISTENING.matcher(l).find()) || !p.isAlive());
      Matcher m = err.stream().skip(before).map(LISTENING::matcher).filter(Matcher::find).findFirst()
          .orElseThrow(() -> new IllegalStateException("relay did not start: " + err));
      return new RelayProcess(p, pump, Integer.parseInt(m.group(1)));
    }

    @Override
    public void close() {
      process.destroy();
      await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
      await().atMost(Duration.ofSeconds(10)).until(() -> !pump.isAlive());
    }
  }

  static HttpClient client(Path dir) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", Pem.certificates(Files.readString(dir.resolve("fleet-root.pem"))).get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), TestRandom.seeded(82));
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx).build();
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
