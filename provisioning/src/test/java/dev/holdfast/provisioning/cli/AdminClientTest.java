package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client side's arguments: what is sent on, what is refused before anything is sent. */
class AdminClientTest {
  @TempDir Path root;

  @Test
  void serviceAndOperatorStayOnThisSideInEitherSpelling() {
    assertThat(AdminClient.forwarded(List.of("--service", "https://h:8444", "tokens", "create", "--operator=ops/a",
        "--profile", "default"))).containsExactly("tokens", "create", "--profile", "default");
    assertThat(AdminClient.forwarded(List.of("devices", "list", "--service=https://h:8444", "--operator", "ops/a",
        "--json"))).containsExactly("devices", "list", "--json");
  }

  @Test
  void theServiceMustBeAnHttpsUrlWithAHost() throws Exception {
    assertThat(AdminClient.endpoint("https://prov.acme.example:8444"))
        .isEqualTo(URI.create("https://prov.acme.example:8444/v1/admin/run"));
    for (String bad : List.of("http://127.0.0.1:8444", "127.0.0.1:8444", "https://", "not a url")) {
      assertThatThrownBy(() -> AdminClient.endpoint(bad)).as(bad).isInstanceOf(CliException.class)
          .hasMessageContaining("--service must be https://HOST:PORT");
    }
  }

  @Test
  void missingOperatorFilesExit66NamingTheFile() {
    assertThatThrownBy(() -> AdminClient.context(root.resolve("ops/alice").toString()))
        .isInstanceOf(CliException.class).hasMessageContaining("alice.pem")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCode.NO_INPUT));
  }

  @Test
  void aServiceWithoutAnOperatorExits64AndTheEnvironmentNamesBoth() throws Exception {
    CliHarness cli = new CliHarness(root);
    CliHarness.Result r = cli.run("devices", "list", "--service", "https://127.0.0.1:1");

    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("--service needs --operator DIR/NAME");
    DataDirOptions options = new DataDirOptions();
    assertThat(options.service(Map.of("HOLDFAST_SERVICE", "https://h:8444"))).contains("https://h:8444");
    assertThat(options.operator(Map.of("HOLDFAST_OPERATOR", "ops/a"))).contains("ops/a");
    assertThat(options.service(Map.of())).isEmpty();
  }
}
