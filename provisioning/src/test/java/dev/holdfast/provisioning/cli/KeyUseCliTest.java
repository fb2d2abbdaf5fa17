package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.ConfigLines;
import dev.holdfast.provisioning.ca.Pem;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key use as operators see it: written by a stopping service, shown by keys list and devices show. */
class KeyUseCliTest {
  @TempDir Path root;
  CliHarness cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(root);
    CliHarness.Result r = cli.run("init", "--fleet-name", "Test Fleet", "--crl-path", root.resolve("fleet.crl").toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @SuppressWarnings("unchecked")
  static <T> T json(CliHarness.Result r) throws Exception {
    assertThat(r.exit()).as(r.err()).isZero();
    return (T) JsonParser.parse(r.out());
  }

  static List<ApiKeyRecord> stored(ProvisioningRuntime rt) throws Exception {
    return rt.registry.read(tx -> tx.apiKeys().all());
  }

  @Test
  void serveWritesTheRelaysKeyUseWhenItStopsAndKeysListAndDevicesShowShowIt() throws Exception {
    Path csr = root.resolve("device.csr");
    Files.writeString(csr, Pem.encode("CERTIFICATE REQUEST", Csrs.valid(TestRandom.seeded(64))));
    assertThat(cli.run("certs", "issue", "--csr", csr.toString(), "--device", "pump-1").exit()).isZero();
    Map<String, Object> used = json(cli.run("keys", "create", "--device", "pump-1", "--json"));
    Map<String, Object> idle = json(cli.run("keys", "create", "--device", "pump-1", "--json"));
    ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), "relay.upstream.kind=webhook",
        "relay.upstream.webhook-url=https://127.0.0.1:9/unreachable");
    List<ApiKeyRecord> whileServing;
    try (ProvisioningRuntime rt = ProvisioningRuntime.open(cli.dir, Optional.of(cli.keyFile), Map.of())) {
      Serving.Running running = Serving.start(rt, new InetSocketAddress("127.0.0.1", 0), true, true,
          Optional.empty());
      try {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + running.server().port() + "/v1/messages"))
              .header("Authorization", "Bearer " + used.get("key")).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+15551234567\",\"body\":\"door opened\"}"))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(r.body()).isNotEqualTo(401);
        }
        whileServing = stored(rt);
      } finally {
        running.stop();
      }
    }
    List<Map<String, Object>> listed = json(cli.run("keys", "list", "--json"));
    CliHarness.Result table = cli.run("keys", "list");
    CliHarness.Result show = cli.run("devices", "show", "pump-1");
    Map<String, Object> shown = json(cli.run("devices", "show", "pump-1", "--json"));

    assertThat(whileServing).as("before the stop nothing is written").allSatisfy(k -> {
      assertThat(k.requests()).isZero();
      assertThat(k.lastUsedAt()).isEmpty();
    });
    Map<String, Object> usedRow = listed.stream().filter(k -> k.get("id").equals(used.get("id"))).findFirst()
        .orElseThrow();
    Map<String, Object> idleRow = listed.stream().filter(k -> k.get("id").equals(idle.get("id"))).findFirst()
        .orElseThrow();
    assertThat(((Number) usedRow.get("requests")).longValue()).isEqualTo(2);
    assertThat(usedRow.get("last_used")).isNotNull();
    assertThat(idleRow).containsEntry("last_used", null);
    assertThat(((Number) idleRow.get("requests")).longValue()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow()).contains("LAST_USED").contains("REQUESTS");
    assertThat(table.out().lines().filter(l -> l.startsWith(idle.get("id").toString())).findFirst().orElseThrow())
        .contains("never");
    assertThat(show.out()).contains("\"requests\":2").contains("never");
    assertThat((List<?>) shown.get("api_keys")).hasSize(2);
    assertThat(table.out() + show.out()).doesNotContain(used.get("key").toString());
  }

  @Test
  void unusedForListsOnlyKeysIdleForTheWholeWindowAsParseableJson() throws Exception {
    Path csr = root.resolve("device.csr");
    Files.writeString(csr, Pem.encode("CERTIFICATE REQUEST", Csrs.valid(TestRandom.seeded(65))));
    assertThat(cli.run("certs", "issue", "--csr", csr.toString(), "--device", "pump-1").exit()).isZero();
    assertThat(cli.run("keys", "create", "--device", "pump-1", "--json").exit()).isZero();

    List<Object> unused = json(cli.run("keys", "list", "--unused-for", "30d", "--json"));
    CliHarness.Result table = cli.run("keys", "list", "--unused-for", "30d");

    assertThat(unused).as("a key created just now is not idle for 30 days").isEmpty();
    assertThat(table.exit()).isZero();
    assertThat(table.out().strip()).startsWith("ID").contains("REQUESTS");
  }

  @Test
  void aBadUnusedForValueIsAUsageErrorNamingTheOptionAndTheForms() {
    CliHarness.Result r = cli.run("keys", "list", "--unused-for", "30days");

    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code()).isEqualTo(64);
    assertThat(r.err()).contains("--unused-for").contains("30days").contains("7d");
    assertThat(r.out()).isEmpty();
  }
}
