package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.testing.EnrollServer;
import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast-agent enroll} over HTTPS against a real loopback server and a real vault. */
class EnrollCommandTest {
  @TempDir Path home;
  EnrollFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new EnrollFixture(home);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void enrollsOverHttpsStoresTheWholeCredentialSetAndPrintsOnlyTheDeviceId() throws Exception {
    AgentFixture.Result r = f.enroll();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(EnrollFixture.DEVICE_ID + "\n");
    assertThat(f.server.requests).hasSize(1);
    assertThat(f.server.requests.get(0).tokenText()).isEqualTo(f.token);

    CredentialSet set = f.current().orElseThrow();
    assertThat(set.deviceId()).isEqualTo(EnrollFixture.DEVICE_ID);
    assertThat(set.chain()).containsExactly(set.leaf(), f.fleet.issuing, f.fleet.root);
    assertThat(set.fleetRoot()).isEqualTo(f.fleet.root);
    assertThat(new String(set.apiKey().bytes(), StandardCharsets.UTF_8)).isEqualTo(EnrollFixture.API_KEY);
    assertThat(set.scopes()).isEqualTo(TestFleet.SCOPES);
    assertThat(set.commandKey()).isEqualTo(f.fleet.commandKey.getPublic());
    assertThat(set.publicKey().getEncoded())
        .isEqualTo(new JcaPKCS10CertificationRequest(f.server.requests.get(0).csr()).getPublicKey().getEncoded());
    assertThat(f.pendingKey()).as("the pending key became the current one").isEmpty();
  }

  @Test
  void aUsedTokenExits84AndStoresNoIdentity() throws Exception {
    f.server.handler(req -> EnrollFixture.refusal(EnrollError.Code.TOKEN_USED));
    AgentFixture.Result r = f.enroll();
    assertThat(r.code()).isEqualTo(84);
    assertThat(r.error()).startsWith("holdfast-agent: the enrollment token was already used")
        .contains("ask for a new one").doesNotContain(f.token);
    assertThat(f.current()).isEmpty();
    assertThat(f.pendingKey()).as("kept for the next try").isPresent();
  }

  @Test
  void eachRefusalOfTheServerHasItsOwnExitCode() throws Exception {
    Map<EnrollError.Code, Integer> expected = Map.ofEntries(
        Map.entry(EnrollError.Code.TOKEN_MALFORMED, 82), Map.entry(EnrollError.Code.TOKEN_UNKNOWN, 82),
        Map.entry(EnrollError.Code.TOKEN_EXPIRED, 83), Map.entry(EnrollError.Code.TOKEN_USED, 84),
        Map.entry(EnrollError.Code.TOKEN_REVOKED, 85), Map.entry(EnrollError.Code.CSR_REJECTED, 86),
        Map.entry(EnrollError.Code.INTERNAL, 88), Map.entry(EnrollError.Code.UNAVAILABLE, 88),
        Map.entry(EnrollError.Code.BAD_REQUEST, 88), Map.entry(EnrollError.Code.TOO_LARGE, 88),
        Map.entry(EnrollError.Code.RATE_LIMITED, 75));
    assertThat(expected.keySet()).containsExactlyInAnyOrder(EnrollError.Code.values());
    for (Map.Entry<EnrollError.Code, Integer> e : expected.entrySet()) {
      f.server.handler(req -> EnrollFixture.refusal(e.getKey()));
      AgentFixture.Result r = f.enroll();
      assertThat(r.code()).as(e.getKey() + ": " + r.err()).isEqualTo(e.getValue());
      assertThat(r.err().lines()).as("one line").hasSize(1);
      assertThat(r.error()).contains(e.getKey().wire);
    }
    assertThat(f.current()).isEmpty();
  }

  @Test
  void aRateLimitedEnrollmentExits75SaysToWaitAndKeepsTheKeyForTheRetry() throws Exception {
    f.server.handler(req -> new EnrollServer.Answer(429, new EnrollError(EnrollError.Code.RATE_LIMITED,
        "too many enrollment attempts from this address; retry in 42 s").toJson()));
    AgentFixture.Result r = f.enroll();
    assertThat(r.code()).isEqualTo(75);
    assertThat(r.error()).startsWith("holdfast-agent: the provisioning server refused: too many enrollment attempts")
        .contains("retry in 42 s").contains("run the same command again").doesNotContain(f.token);
    assertThat(r.err().lines()).as("one line").hasSize(1);
    assertThat(f.current()).isEmpty();
    assertThat(f.pendingKey()).as("kept for the next try").isPresent();
  }

  @Test
  void aServerTokenEchoInTheErrorMessageIsNotShown() throws Exception {
    f.server.handler(req -> new EnrollServer.Answer(401,
        new EnrollError(EnrollError.Code.TOKEN_UNKNOWN, "no such token " + req.tokenText()).toJson()));
    AgentFixture.Result r = f.enroll();
    assertThat(r.code()).isEqualTo(82);
    assertThat(r.error()).contains("no such token [token]").doesNotContain(f.token);
  }

  @Test
  void anAnswerThatIsNotAnEnrollmentMessageIsAServerError() throws Exception {
    f.server.handler(req -> new EnrollServer.Answer(502, "<html>bad gateway</html>"));
    AgentFixture.Result r = f.enroll();
    assertThat(r.code()).isEqualTo(88);
    assertThat(r.error()).contains("HTTP 502");
  }

  @Test
  void aFleetRootThatDidNotIssueTheServersCertificateIsAPinningFailureAndNothingIsSent() throws Exception {
    Path otherRoot = f.fleet.another().writeRoot(home.resolve("other-root.pem"));
    AgentFixture.Result r = f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--server",
        f.server.url(), "--fleet-root", otherRoot.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(81);
    assertThat(r.error()).contains("TLS with 127.0.0.1 failed").contains("pinned fleet root");
    assertThat(f.server.requests).as("the token never reached the server").isEmpty();
    assertThat(f.current()).isEmpty();
  }

  @Test
  void aServerCertificateForAnotherHostIsRefused() throws Exception {
    try (EnrollServer elsewhere = new EnrollServer(f.fleet.serverContext("prov.example.org"), f::enrolled)) {
      AgentFixture.Result r = f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--server",
          elsewhere.url(), "--fleet-root", f.fleetRoot.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(81);
      assertThat(elsewhere.requests).isEmpty();
    }
    assertThat(f.current()).isEmpty();
  }

  @Test
  void anUnreachableServerExits80() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AgentFixture.Result r = f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--server",
        "https://127.0.0.1:" + port, "--fleet-root", f.fleetRoot.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(80);
    assertThat(r.error()).contains("cannot reach the provisioning server").contains("run the same command again");
  }

  @Test
  void aResponseWithAChangedScopeIsRefused() throws Exception {
    f.server.handler(req -> {
      EnrollResponse good = f.fleet.respond(req, EnrollFixture.DEVICE_ID, EnrollFixture.API_KEY);
      return ok(new EnrollResponse(good.deviceId(), good.chain(), good.apiKeyId(), good.apiKeySealed(),
          good.apiKeyExpiresAt(), List.of("messages:send", "fleet:admin"), good.commandKey(), good.issuedAt(),
          good.signature()));
    });
    refusedAndNothingStored("signature does not verify");
  }

  @Test
  void aResponseFromAnotherFleetsIssuerIsRefused() throws Exception {
    TestFleet other = f.fleet.another();
    f.server.handler(req -> ok(other.respond(req, EnrollFixture.DEVICE_ID, EnrollFixture.API_KEY)));
    refusedAndNothingStored("not at the pinned fleet root");
  }

  @Test
  void aResponseWhoseChainLeavesOutTheRootButHasAnotherIssuerIsRefused() throws Exception {
    TestFleet other = f.fleet.another();
    f.server.handler(req -> {
      EnrollResponse r = other.respond(req, EnrollFixture.DEVICE_ID, EnrollFixture.API_KEY);
      return ok(EnrollResponse.signed(r.deviceId(), r.chain().subList(0, 2), r.apiKeyId(), r.apiKeySealed(),
          r.apiKeyExpiresAt(), r.scopes(), r.commandKey(), r.issuedAt(), other.issuingKey.getPrivate(),
          new java.security.SecureRandom()));
    });
    refusedAndNothingStored("does not validate against the pinned fleet root");
  }

  @Test
  void aResponseSignedByAnotherKeyThanTheIssuingCaIsRefused() throws Exception {
    f.server.handler(req -> {
      EnrollResponse r = f.fleet.respond(req, EnrollFixture.DEVICE_ID, EnrollFixture.API_KEY);
      return ok(EnrollResponse.signed(r.deviceId(), r.chain(), r.apiKeyId(), r.apiKeySealed(), r.apiKeyExpiresAt(),
          r.scopes(), r.commandKey(), r.issuedAt(), TestFleet.keyPair().getPrivate(), new java.security.SecureRandom()));
    });
    refusedAndNothingStored("signature does not verify");
  }

  @Test
  void aChainForAnotherKeyThanThePendingOneIsRefused() throws Exception {
    f.server.handler(req -> ok(f.fleet.respondFor(TestFleet.keyPair().getPublic(), EnrollFixture.DEVICE_ID,
        EnrollFixture.API_KEY, TestFleet.SCOPES)));
    refusedAndNothingStored("for another key");
  }

  @Test
  void aCertificateNamingAnotherDeviceIsRefused() throws Exception {
    f.server.handler(req -> {
      EnrollResponse r = f.fleet.respond(req, "dev-ffffffffffffffff", EnrollFixture.API_KEY);
      return ok(EnrollResponse.signed(EnrollFixture.DEVICE_ID, r.chain(), r.apiKeyId(), r.apiKeySealed(),
          r.apiKeyExpiresAt(), r.scopes(), r.commandKey(), r.issuedAt(), f.fleet.issuingKey.getPrivate(),
          new java.security.SecureRandom()));
    });
    refusedAndNothingStored("not the device id " + EnrollFixture.DEVICE_ID);
  }

  @Test
  void enrollmentWritesTheMarkerTheSystemdUnitWaitsForAndAFailedOneDoesNot() throws Exception {
    java.nio.file.Path marker = f.agent.dataDir.resolve(EnrollCommand.ENROLLED_MARKER);
    f.server.handler(req -> EnrollFixture.refusal(EnrollError.Code.UNAVAILABLE));
    assertThat(f.enroll().code()).isEqualTo(88);
    assertThat(marker).doesNotExist();
    f.server.handler(f::enrolled);
    assertThat(f.enroll().code()).isZero();
    assertThat(java.nio.file.Files.readString(marker)).isEqualTo(EnrollFixture.DEVICE_ID + "\n");
    assertThat(java.nio.file.Files.getPosixFilePermissions(marker))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    f.server.handler(req -> ok(f.fleet.respond(req, "dev-aaaaaaaaaaaaaaaa", "hf_SecondKeyAAAAAAAAAAAAAAAAAAAA")));
    assertThat(f.enroll("--force").code()).isZero();
    assertThat(java.nio.file.Files.readString(marker)).as("re-enrolled: the new id").isEqualTo("dev-aaaaaaaaaaaaaaaa\n");
  }

  @Test
  void anEnrolledDeviceIsRefusedWithoutForceAndReenrolledWithIt() throws Exception {
    assertThat(f.enroll().code()).isZero();
    String before = AgentFixture.sha256(f.agent.vaultFile());
    AgentFixture.Result again = f.enroll();
    assertThat(again.code()).isEqualTo(79);
    assertThat(again.error()).contains("already enrolled as " + EnrollFixture.DEVICE_ID).contains("--force");
    assertThat(f.server.requests).as("refused before contacting the server").hasSize(1);
    assertThat(AgentFixture.sha256(f.agent.vaultFile())).isEqualTo(before);

    CredentialSet first = f.current().orElseThrow();
    f.server.handler(req -> ok(f.fleet.respond(req, "dev-aaaaaaaaaaaaaaaa", "hf_SecondKeyAAAAAAAAAAAAAAAAAAAA")));
    AgentFixture.Result forced = f.enroll("--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out()).isEqualTo("dev-aaaaaaaaaaaaaaaa\n");
    CredentialSet second = f.current().orElseThrow();
    assertThat(second.publicKey()).as("a new key for the new identity").isNotEqualTo(first.publicKey());
  }

  @Test
  void thePendingKeyIsKeptAfterAFailureAndReusedOnTheNextTry() throws Exception {
    f.server.handler(req -> EnrollFixture.refusal(EnrollError.Code.UNAVAILABLE));
    assertThat(f.enroll().code()).isEqualTo(88);
    f.server.handler(f::enrolled);
    assertThat(f.enroll().code()).isZero();
    assertThat(csrKey(f.server.requests.get(0))).isEqualTo(csrKey(f.server.requests.get(1)));
  }

  @Test
  void theTokenCanComeFromStandardInputOrTheCommandLine() throws Exception {
    AgentFixture.Result r = f.agent.agentWithInput(f.token + "\n", "enroll", "--token-file", "-", "--server",
        f.server.url(), "--fleet-root", f.fleetRoot.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(f.server.requests.get(0).tokenText()).isEqualTo(f.token);
    AgentFixture.Result cli = f.agent.agent("enroll", "--force", "--token", "hfe_second", "--server", f.server.url(),
        "--fleet-root", f.fleetRoot.toString());
    assertThat(cli.code()).as(cli.err()).isZero();
    assertThat(f.server.requests.get(1).tokenText()).isEqualTo("hfe_second");
  }

  @Test
  void optionsThatDoNotMakeAnEnrollmentAreUsageErrors() {
    assertThat(f.agent.agent("enroll", "--server", f.server.url(), "--fleet-root", f.fleetRoot.toString()).code())
        .isEqualTo(64);
    AgentFixture.Result http = f.agent.agent("enroll", "--token", "hfe_x", "--server", "http://127.0.0.1:1",
        "--fleet-root", f.fleetRoot.toString());
    assertThat(http.code()).isEqualTo(64);
    assertThat(http.err()).contains("https://");
    assertThat(f.agent.agent("enroll", "--token", "hfe_x", "--token-file", "-", "--server", f.server.url(),
        "--fleet-root", f.fleetRoot.toString()).code()).isEqualTo(64);
    assertThat(f.agent.agent("enroll", "--response-in", "r.json", "--token", "hfe_x",
        "--fleet-root", f.fleetRoot.toString()).code()).isEqualTo(64);
    assertThat(f.server.requests).isEmpty();
  }

  @Test
  void aFleetRootFileThatIsNotARootCertificateIsExit65() throws Exception {
    Path notRoot = home.resolve("not-root.pem");
    java.nio.file.Files.writeString(notRoot, "hello\n");
    AgentFixture.Result r = f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--server",
        f.server.url(), "--fleet-root", notRoot.toString());
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.error()).contains("holds no PEM or DER certificate").contains("fleet-root.pem");
  }

  @Test
  void theAgentHoldingTheVaultMeansStopTheAgentFirst() throws Exception {
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HoldVaultOpen.class.getName(), f.agent.vaultFile().toString(),
        f.agent.keyFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).startsWith("open ");
      AgentFixture.Result r = f.enroll();
      assertThat(r.code()).isEqualTo(75);
      assertThat(r.error()).contains("stop the agent first");
      assertThat(f.server.requests).isEmpty();
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    assertThat(f.enroll().code()).as("works once the vault is free").isZero();
  }

  @Test
  void statusShowsTheDeviceIdCertificateAndApiKeyDatesButNeverTheKey() throws Exception {
    String socket = home.resolve("agent.sock").toString();
    AgentFixture.Result before = f.agent.agent("status", "--socket", socket);
    assertThat(before.out()).contains("device:   not enrolled");
    assertThat(f.enroll().code()).isZero();
    CredentialSet set = f.current().orElseThrow();

    AgentFixture.Result text = f.agent.agent("status", "--socket", socket);
    assertThat(text.code()).as("read from the vault: no agent runs, so unhealthy; " + text.err())
        .isEqualTo(ExitCode.UNHEALTHY.code());
    assertThat(text.out()).contains("device:   " + EnrollFixture.DEVICE_ID + " (certificate until "
        + set.certificateNotAfter() + ")").contains("api key:  " + set.apiKeyId() + " (until "
        + set.apiKeyExpiresAt() + ")").doesNotContain(EnrollFixture.API_KEY);
    AgentFixture.Result json = f.agent.agent("status", "--json", "--socket", socket);
    assertThat(json.out()).contains("\"identity\":{\"enrolled\":true,\"device_id\":\"" + EnrollFixture.DEVICE_ID + "\"")
        .contains("\"api_key_id\":\"" + set.apiKeyId() + "\"").doesNotContain(EnrollFixture.API_KEY);
  }

  private void refusedAndNothingStored(String why) throws Exception {
    AgentFixture.Result r = f.enroll();
    assertThat(r.code()).as(r.err()).isEqualTo(87);
    assertThat(r.error()).startsWith("holdfast-agent: the enrollment response was refused").contains(why)
        .endsWith("nothing was stored");
    assertThat(f.current()).isEmpty();
  }

  private static EnrollServer.Answer ok(EnrollResponse response) {
    return new EnrollServer.Answer(200, response.toJson());
  }

  private static byte[] csrKey(EnrollRequest request) throws Exception {
    return new JcaPKCS10CertificationRequest(request.csr()).getPublicKey().getEncoded();
  }
}
