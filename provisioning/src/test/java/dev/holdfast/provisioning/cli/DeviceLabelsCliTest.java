package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.ConfigLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device labels: a device starts with its token's profile's labels, {@code devices label} changes
 * them, {@code devices list --label} selects by them; bad labels and unknown devices change nothing.
 */
class DeviceLabelsCliTest {
  @TempDir Path root;
  CliHarness cli;
  String pilot;
  String plain;

  @BeforeEach
  void enrollOneDeviceOfALabelledProfileAndOneOfTheDefault() throws Exception {
    cli = new CliHarness(root);
    assertThat(cli.run("init", "--fleet-name", "Test Fleet").exit()).isZero();
    ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), "profile.pilot.scopes=messages:send",
        "profile.pilot.labels=site=berlin, pilot");
    pilot = enroll("pilot", 1);
    plain = enroll("default", 2);
  }

  private String enroll(String profile, int n) throws Exception {
    CliHarness.Result created = cli.run("tokens", "create", "--profile", profile, "--json");
    assertThat(created.exit()).as(created.err()).isZero();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tokens = (List<Map<String, Object>>) JsonParser.parse(created.out());
    Path request = root.resolve("request-" + n + ".json");
    Files.writeString(request, new BenchDevice(TestRandom.seeded(700 + n)).requestJson(
        tokens.get(0).get("token").toString()));
    Path response = root.resolve("response-" + n + ".json");
    CliHarness.Result enrolled = cli.run("enroll", "--in", request.toString(), "--out", response.toString());
    assertThat(enrolled.exit()).as(enrolled.err()).isZero();
    return EnrollResponse.parse(Files.readString(response)).deviceId();
  }

  @SuppressWarnings("unchecked")
  private List<Object> labelsOf(String device) throws Exception {
    CliHarness.Result shown = cli.run("devices", "show", device, "--json");
    assertThat(shown.exit()).as(shown.err()).isZero();
    return (List<Object>) ((Map<String, Object>) JsonParser.parse(shown.out())).get("labels");
  }

  @SuppressWarnings("unchecked")
  private List<Object> idsWithLabel(String label) throws Exception {
    CliHarness.Result listed = cli.run("devices", "list", "--label", label, "--json");
    assertThat(listed.exit()).as(listed.err()).isZero();
    return ((List<Map<String, Object>>) JsonParser.parse(listed.out())).stream().map(m -> m.get("id")).toList();
  }

  @Test
  void aDeviceStartsWithTheLabelsOfItsTokensProfileAndListSelectsByThem() throws Exception {
    assertThat(labelsOf(pilot)).containsExactly("pilot", "site=berlin");
    assertThat(labelsOf(plain)).isEmpty();
    assertThat(idsWithLabel("pilot")).containsExactly(pilot);
    assertThat(idsWithLabel("canary")).isEmpty();
    assertThat(cli.run("devices", "list").out()).contains("LABELS").contains("pilot,site=berlin");
  }

  @Test
  void labelAddsAndRemovesPrintsTheResultAndLeavesAnAuditEvent() throws Exception {
    CliHarness.Result added = cli.run("devices", "label", plain, "--add", "pilot", "--add", "canary");
    CliHarness.Result removed = cli.run("devices", "label", pilot, "--remove", "site=berlin", "--remove", "absent",
        "--json");

    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out().strip()).isEqualTo(plain + ": canary, pilot");
    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(JsonParser.parse(removed.out())).isEqualTo(Map.of("id", pilot, "labels", List.of("pilot")));
    assertThat(idsWithLabel("pilot")).containsExactlyInAnyOrder(pilot, plain);
    assertThat(idsWithLabel("site=berlin")).isEmpty();
    assertThat(cli.run("audit").out()).contains("device.labels").contains("added [pilot, canary]");
  }

  @Test
  void aBadLabelAnUnknownDeviceNoChangeAndTooManyLabelsAreRefusedAndChangeNothing() throws Exception {
    CliHarness.Result bad = cli.run("devices", "label", pilot, "--add", "ok", "--add", "Site Berlin");
    CliHarness.Result unknown = cli.run("devices", "label", "dev-0000000000000000", "--add", "pilot");
    CliHarness.Result nothing = cli.run("devices", "label", pilot);
    List<String> fifteenMore = new ArrayList<>(List.of("devices", "label", pilot));
    IntStream.range(0, 15).forEach(i -> fifteenMore.addAll(List.of("--add", "l" + i)));
    CliHarness.Result tooMany = cli.run(fifteenMore.toArray(String[]::new));
    CliHarness.Result badFilter = cli.run("devices", "list", "--label", "-x");

    assertThat(bad.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(bad.err()).contains("--add: label 'Site Berlin' is not").contains("a-z, 0-9");
    assertThat(unknown.exit()).isEqualTo(ExitCode.NO_INPUT.code());
    assertThat(unknown.err()).contains("no device dev-0000000000000000");
    assertThat(nothing.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(nothing.err()).contains("--add LABEL or --remove LABEL");
    assertThat(tooMany.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(tooMany.err()).contains("at most 16 labels").contains("would carry 17");
    assertThat(badFilter.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(badFilter.err()).contains("--label: label '-x'");
    assertThat(labelsOf(pilot)).containsExactly("pilot", "site=berlin");
    assertThat(cli.run("audit").out()).doesNotContain("device.labels");
  }

  @Test
  void aProfileWithABadLabelIsRefusedNamingTheKey() throws Exception {
    ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), "profile.pilot.labels=Pilot");

    CliHarness.Result r = cli.run("devices", "list");

    assertThat(r.exit()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(r.err()).contains("profile.pilot.labels").contains("'Pilot'");
  }

  @Test
  void fleetRotateRefusesABadLabelBeforeItLooksForABroker() {
    CliHarness.Result r = cli.run("fleet", "rotate", "--label", "Not Valid");

    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("--label: label 'Not Valid'");
  }
}
