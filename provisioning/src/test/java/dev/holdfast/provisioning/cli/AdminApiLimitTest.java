package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.testkit.ConfigLines;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's bound on commands at once, over real mutual TLS: commands whose operators are
 * still sending their request hold their slots, as a slow command would.
 */
class AdminApiLimitTest {
  static final String BODY = "{\"args\":[\"devices\",\"list\"]}";

  @TempDir java.nio.file.Path root;
  ProvisioningRuntime rt;
  ApiServer admin;
  SSLContext operator;
  final List<SSLSocket> slow = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    CliHarness cli = new CliHarness(root);
    CliHarness.Result init = cli.run("init", "--fleet-name", "Limits");
    assertThat(init.exit()).as(init.err()).isZero();
    ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), "broker.acl-path="); // no broker here
    CliHarness.Result added = cli.run("operators", "add", "ada", "--role", "admin", "--out",
        root.resolve("ops").toString());
    assertThat(added.exit()).as(added.err()).isZero();
    rt = ProvisioningRuntime.open(cli.dir, Optional.of(cli.keyFile), Map.of());
    admin = Serving.admin(rt, new InetSocketAddress("127.0.0.1", 0));
    operator = AdminClient.context(root.resolve("ops").resolve("ada").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (SSLSocket s : slow) {
      s.close();
    }
    admin.stop(0);
    rt.close();
  }

  /**
   * A command whose operator has sent its headers, asking to be told to go on (100-continue), and
   * no body yet. Returns once the server has said "100 Continue": it says so when the handler
   * first reads the body, which it does after taking its slot, so the command holds a slot then.
   */
  private SSLSocket startSlowly() throws Exception {
    SSLSocket s = (SSLSocket) operator.getSocketFactory().createSocket("127.0.0.1", admin.port());
    OutputStream out = s.getOutputStream();
    out.write(("POST " + AdminApi.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Expect: 100-continue\r\nContent-Length: " + BODY.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    slow.add(s);
    s.setSoTimeout(30_000);
    assertThat(head(s)).startsWith("HTTP/1.1 100");
    return s;
  }

  /** Sends the body; the status line of the final answer. */
  private static String finish(SSLSocket s) throws Exception {
    s.getOutputStream().write(BODY.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return head(s).substring(0, 12);
  }

  /** The status line and headers of the next answer on {@code s}, up to the blank line. */
  private static String head(SSLSocket s) throws Exception {
    InputStream in = s.getInputStream();
    StringBuilder got = new StringBuilder();
    while (got.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      got.append((char) b);
    }
    return got.toString();
  }

  private HttpResponse<String> command(HttpClient http) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + admin.port() + AdminApi.PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCommandPastTheFourRunningGets503WithRetryAfterAndRunsOnceOneEnds() throws Exception {
    for (int i = 0; i < AdminApi.CONCURRENT; i++) {
      startSlowly();
    }
    HttpClient http = HttpClient.newBuilder().sslContext(operator).build();
    HttpResponse<String> refused = command(http);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).contains(Integer.toString(AdminApi.RETRY_AFTER_SECONDS));
    assertThat(refused.body()).contains("runs 4 operators' commands already; try again in 2 s")
        .contains("\"exit\":" + ExitCode.TEMP_FAIL.code());

    for (SSLSocket s : slow) {
      assertThat(finish(s)).isEqualTo("HTTP/1.1 200");
    }
    HttpResponse<String> after = command(http);
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
  }
}
