package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment as two files: the request leaves on one run, the response comes back on another. */
class AirGappedEnrollTest {
  @TempDir Path home;
  EnrollFixture f;
  Path request;
  Path response;

  @BeforeEach
  void setUp() throws Exception {
    f = new EnrollFixture(home);
    request = home.resolve("request.json");
    response = home.resolve("response.json");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aRequestFileAndItsResponseFileEnrollTheDevice() throws Exception {
    AgentFixture.Result out = f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--request-out",
        request.toString());
    assertThat(out.code()).as(out.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(request))).isEqualTo("rw-------");
    assertThat(f.pendingKey()).as("the key is in the vault before the request leaves").isPresent();
    assertThat(f.current()).isEmpty();

    EnrollRequest sent = EnrollRequest.parse(Files.readString(request));
    assertThat(sent.tokenText()).isEqualTo(f.token);
    assertThat(new JcaPKCS10CertificationRequest(sent.csr()).getPublicKey().getEncoded())
        .isEqualTo(f.pendingKey().orElseThrow().publicKey().getEncoded());
    Files.writeString(response, f.fleet.respond(sent, EnrollFixture.DEVICE_ID, EnrollFixture.API_KEY).toJson());

    AgentFixture.Result in = f.agent.agent("enroll", "--response-in", response.toString(), "--fleet-root",
        f.fleetRoot.toString());
    assertThat(in.code()).as(in.err()).isZero();
    assertThat(in.out()).isEqualTo(EnrollFixture.DEVICE_ID + "\n");
    CredentialSet set = f.current().orElseThrow();
    assertThat(new String(set.apiKey().bytes(), StandardCharsets.UTF_8)).isEqualTo(EnrollFixture.API_KEY);
    assertThat(f.pendingKey()).isEmpty();
  }

  @Test
  void aSecondRequestUsesTheSameKeySoTheFirstRequestsResponseStillFits() throws Exception {
    assertThat(f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--request-out", request.toString())
        .code()).isZero();
    Path second = home.resolve("request-2.json");
    assertThat(f.agent.agent("enroll", "--token", "hfe_other", "--request-out", second.toString()).code()).isZero();
    Files.writeString(response, f.fleet.respond(EnrollRequest.parse(Files.readString(request)),
        EnrollFixture.DEVICE_ID, EnrollFixture.API_KEY).toJson());
    assertThat(f.agent.agent("enroll", "--response-in", response.toString(), "--fleet-root", f.fleetRoot.toString())
        .code()).isZero();
  }

  @Test
  void anExistingRequestFileIsNotOverwritten() throws Exception {
    Files.writeString(request, "keep me");
    AgentFixture.Result r = f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--request-out",
        request.toString());
    assertThat(r.code()).isEqualTo(73);
    assertThat(Files.readString(request)).isEqualTo("keep me");
  }

  @Test
  void aResponseFileHoldingAnEnrollmentErrorReportsThatError() throws Exception {
    f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--request-out", request.toString());
    Files.writeString(response, new EnrollError(EnrollError.Code.TOKEN_EXPIRED, "token expired").toJson());
    AgentFixture.Result r = f.agent.agent("enroll", "--response-in", response.toString(), "--fleet-root",
        f.fleetRoot.toString());
    assertThat(r.code()).isEqualTo(83);
    assertThat(r.error()).contains("expired");
    assertThat(f.current()).isEmpty();
  }

  @Test
  void aFileThatIsNoResponseIsExit87AndAResponseWithoutAPendingKeyIsExit66() throws Exception {
    Files.writeString(response, "{}");
    AgentFixture.Result r = f.agent.agent("enroll", "--response-in", response.toString(), "--fleet-root",
        f.fleetRoot.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(87);
    Files.writeString(response, f.fleet.respondFor(dev.holdfast.agent.testing.TestFleet.keyPair().getPublic(),
        EnrollFixture.DEVICE_ID, EnrollFixture.API_KEY, dev.holdfast.agent.testing.TestFleet.SCOPES).toJson());
    AgentFixture.Result noKey = f.agent.agent("enroll", "--response-in", response.toString(), "--fleet-root",
        f.fleetRoot.toString());
    assertThat(noKey.code()).isEqualTo(66);
    assertThat(noKey.error()).contains("no pending key").contains("--request-out");
  }

  @Test
  void aTamperedResponseFileIsRefusedAndNothingIsStored() throws Exception {
    f.agent.agent("enroll", "--token-file", f.tokenFile.toString(), "--request-out", request.toString());
    String good = f.fleet.respond(EnrollRequest.parse(Files.readString(request)), EnrollFixture.DEVICE_ID,
        EnrollFixture.API_KEY).toJson();
    Files.writeString(response, good.replace("messages:send", "messages:sent"));
    AgentFixture.Result r = f.agent.agent("enroll", "--response-in", response.toString(), "--fleet-root",
        f.fleetRoot.toString());
    assertThat(r.code()).isEqualTo(87);
    assertThat(f.current()).isEmpty();
    assertThat(f.pendingKey()).isPresent();
  }
}
