package dev.holdfast.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.Secret;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void anEnrollRequestSurvivesItsJsonAndNeverShowsItsToken() throws Exception {
    String token = "hfe_secretsecretsecret";
    EnrollRequest r = new EnrollRequest(Secret.copyOf(token.getBytes(StandardCharsets.UTF_8)), new byte[] {1, 2, 3});
    EnrollRequest back = EnrollRequest.parse(r.toJson());
    assertThat(back.tokenText()).isEqualTo(token);
    assertThat(back.csr()).containsExactly(1, 2, 3);
    assertThat(back.toString()).doesNotContain(token);
  }

  @Test
  void aMessageOfAnotherVersionIsRefusedNamingTheVersion() {
    assertThatThrownBy(() -> EnrollRequest.parse("{\"v\":2,\"token\":\"x\",\"csr\":\"AA==\"}"))
        .isInstanceOf(MessageException.class).hasMessageContaining("unsupported version 2");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"1.5", "4294967297", "1e999", "-4294967295", "\"1\"",
      "true", "[1]"})
  void aVersionThatIsNotExactlyTheIntegerOneIsRefused(String v) {
    assertThatThrownBy(() -> EnrollRequest.parse("{\"v\":" + v + ",\"token\":\"x\",\"csr\":\"AA==\"}"))
        .isInstanceOf(MessageException.class).hasMessageContaining("unsupported version");
  }

  @Test
  void theVersionOneMayBeWrittenAsOnePointZero() throws Exception {
    assertThat(EnrollRequest.parse("{\"v\":1.0,\"token\":\"x\",\"csr\":\"AA==\"}").tokenText()).isEqualTo("x");
  }

  @Test
  void requestsAndCommandsReadFromBytesRefuseMalformedUtf8() {
    byte[] request = "{\"v\":1,\"token\":\"hfe_\u00ff\",\"csr\":\"AA==\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> EnrollRequest.parse(request)).isInstanceOf(MessageException.class)
        .hasMessageContaining("not UTF-8");
    byte[] command = "{\"v\":1,\"id\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Command.parse(command)).isInstanceOf(MessageException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void aCommandReadFromBytesEqualsTheOneReadFromItsText() throws Exception {
    KeyPair signer = TestCerts.p256();
    Command c = Command.signed("c\u00e9", "dev-1", Command.PING, NOW, NOW.plusSeconds(60), signer.getPrivate(),
        TestCerts.RANDOM);
    Command back = Command.parse(c.toJson().getBytes(StandardCharsets.UTF_8));
    assertThat(back.id()).isEqualTo("c\u00e9");
    assertThat(back.check(signer.getPublic(), "dev-1", NOW, Duration.ofMinutes(5))).isEmpty();
  }

  @Test
  void aLoneSurrogateCannotBeSignedSoTwoDifferentStringsNeverSignAlike() {
    assertThatThrownBy(() -> Canonical.of("d").add("a\ud800")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> Command.signed("id\udc00", "dev-1", Command.PING, NOW, NOW.plusSeconds(60),
        TestCerts.p256().getPrivate(), TestCerts.RANDOM)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Canonical.of("d").add("a\ud83d\ude00").toByteArray())
        .isNotEqualTo(Canonical.of("d").add("a?").toByteArray());
  }

  @Test
  void aMissingFieldIsNamed() {
    assertThatThrownBy(() -> EnrollRequest.parse("{\"v\":1,\"token\":\"x\"}"))
        .isInstanceOf(MessageException.class).hasMessageContaining("'csr'");
  }

  @Test
  void anEnrollResponseSignedByTheIssuerVerifiesAfterItsJsonAndFailsWhenAnyFieldChanges() throws Exception {
    KeyPair issuer = TestCerts.p256();
    KeyPair device = TestCerts.p256();
    List<X509Certificate> chain = List.of(TestCerts.selfSigned("dev-1", device), TestCerts.selfSigned("issuing", issuer));
    EnrollResponse r = EnrollResponse.signed("dev-1", chain, "key1", new byte[] {9, 9}, NOW.plusSeconds(60),
        List.of("sms:send"), TestCerts.p256().getPublic(), NOW, issuer.getPrivate(), TestCerts.RANDOM);
    EnrollResponse back = EnrollResponse.parse(r.toJson());
    assertThat(back.signedByIssuer()).isTrue();
    assertThat(back.deviceId()).isEqualTo("dev-1");
    assertThat(back.chain()).isEqualTo(chain);

    EnrollResponse otherScopes = new EnrollResponse(back.deviceId(), back.chain(), back.apiKeyId(),
        back.apiKeySealed(), back.apiKeyExpiresAt(), List.of("sms:send", "admin"), back.commandKey(), back.issuedAt(),
        back.signature());
    assertThat(otherScopes.signedByIssuer()).isFalse();
    EnrollResponse otherDevice = new EnrollResponse("dev-2", back.chain(), back.apiKeyId(), back.apiKeySealed(),
        back.apiKeyExpiresAt(), back.scopes(), back.commandKey(), back.issuedAt(), back.signature());
    assertThat(otherDevice.signedByIssuer()).isFalse();
  }

  @Test
  void anEnrollResponseSignedByAnotherKeyDoesNotVerify() throws Exception {
    KeyPair issuer = TestCerts.p256();
    KeyPair device = TestCerts.p256();
    List<X509Certificate> chain = List.of(TestCerts.selfSigned("dev-1", device), TestCerts.selfSigned("issuing", issuer));
    EnrollResponse r = EnrollResponse.signed("dev-1", chain, "key1", new byte[] {9}, NOW, List.of(),
        device.getPublic(), NOW, TestCerts.p256().getPrivate(), TestCerts.RANDOM);
    assertThat(r.signedByIssuer()).isFalse();
  }

  @Test
  void anEnrollErrorKeepsItsCodeAndEachTokenProblemHasItsOwn() throws Exception {
    EnrollError e = EnrollError.parse(new EnrollError(EnrollError.Code.TOKEN_USED, "used").toJson());
    assertThat(e.code()).isEqualTo(EnrollError.Code.TOKEN_USED);
    assertThat(List.of(EnrollError.Code.TOKEN_UNKNOWN, EnrollError.Code.TOKEN_EXPIRED, EnrollError.Code.TOKEN_USED,
        EnrollError.Code.TOKEN_REVOKED, EnrollError.Code.TOKEN_MALFORMED).stream().map(c -> c.wire).distinct())
        .hasSize(5);
  }

  @Test
  void aCommandPassesItsChecksOnlyWithTheRightKeyDeviceAndTime() throws Exception {
    KeyPair signer = TestCerts.p256();
    Command c = Command.parse(Command.signed("c1", "dev-1", Command.PING, NOW, NOW.plusSeconds(60),
        signer.getPrivate(), TestCerts.RANDOM).toJson());
    Duration skew = Duration.ofMinutes(5);
    assertThat(c.check(signer.getPublic(), "dev-1", NOW, skew)).isEmpty();
    assertThat(c.check(TestCerts.p256().getPublic(), "dev-1", NOW, skew)).contains("bad signature");
    assertThat(c.check(signer.getPublic(), "dev-2", NOW, skew)).hasValueSatisfying(s -> assertThat(s)
        .startsWith("addressed to"));
    assertThat(c.check(signer.getPublic(), "dev-1", NOW.plusSeconds(60), skew)).hasValueSatisfying(s -> assertThat(s)
        .startsWith("expired"));
    assertThat(c.check(signer.getPublic(), "dev-1", NOW.minus(Duration.ofMinutes(6)), skew))
        .hasValueSatisfying(s -> assertThat(s).startsWith("issued in the future"));
    Command retyped = new Command(c.id(), c.deviceId(), "rotate", c.issuedAt(), c.expiresAt(), c.signature());
    assertThat(retyped.check(signer.getPublic(), "dev-1", NOW, skew)).contains("bad signature");
  }

  @Test
  void topicsNameTheDeviceTheyBelongTo() {
    assertThat(Topics.state("dev-1")).isEqualTo("holdfast/v1/devices/dev-1/state");
    assertThat(Topics.deviceOf(Topics.provisioningRequests("dev-0123456789abcdef"))).contains("dev-0123456789abcdef");
    assertThat(Topics.deviceOf("other/dev-1/state")).isEmpty();
  }

  @Test
  void topicParsingAcceptsOnlyValidDeviceIds() {
    String id = "dev-0123456789abcdef";
    assertThat(Topics.deviceOf(Topics.state(id))).contains(id);
    assertThat(Topics.deviceOf(Topics.events(id) + "/door/front")).contains(id);
    assertThat(Topics.deviceOf("holdfast/v1/devices/holdfast.operator.alice/state")).isEmpty();
    assertThat(Topics.deviceOf("holdfast/v1/devices/holdfast.provisioning/prov/req")).isEmpty();
    assertThat(Topics.deviceOf("holdfast/v1/devices/dev-0123456789ABCDEF/state")).isEmpty();
    assertThat(Topics.deviceOf("holdfast/v1/devices/-dev/state")).isEmpty();
    assertThat(Topics.deviceOf("holdfast/v1/devices/ab/state")).isEmpty();
    assertThat(Topics.deviceOf("holdfast/v1/devices/pump-7-west-wing/state")).contains("pump-7-west-wing");
    assertThat(Topics.allProvisioningRequests()).isEqualTo("holdfast/v1/devices/+/prov/req");
  }

  @Test
  void aStateTopicIsOnlyAValidDevicesOwnState() {
    assertThat(Topics.isState(Topics.state("dev-0123456789abcdef"))).isTrue();
    assertThat(Topics.isState(Topics.provisioningRequests("dev-0123456789abcdef"))).isFalse();
    assertThat(Topics.isState(Topics.events("dev-0123456789abcdef") + "/state")).isFalse();
    assertThat(Topics.isState("holdfast/v1/devices/holdfast.operator.alice/state")).isFalse();
  }
}
