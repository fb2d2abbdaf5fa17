package dev.holdfast.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.SealedBox;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RotationMessagesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRenewRequestSurvivesItsJsonAndVerifiesOnlyWithTheKeyThatSignedIt() throws Exception {
    KeyPair current = TestCerts.p256();
    RenewRequest r = RenewRequest.signed("r-1", "dev-1", new byte[] {1, 2, 3}, NOW, current.getPrivate(),
        TestCerts.RANDOM);

    ProvRequest back = ProvRequest.parse(utf8(r.toJson()));

    assertThat(back).isInstanceOf(RenewRequest.class);
    RenewRequest renew = (RenewRequest) back;
    assertThat(renew.requestId()).isEqualTo("r-1");
    assertThat(renew.csr()).containsExactly(1, 2, 3);
    assertThat(renew.signedBy(current.getPublic())).isTrue();
    assertThat(renew.signedBy(TestCerts.p256().getPublic())).isFalse();
  }

  @Test
  void aRenewRequestWithAChangedFieldNoLongerVerifies() throws Exception {
    KeyPair current = TestCerts.p256();
    RenewRequest r = RenewRequest.signed("r-1", "dev-1", new byte[] {1}, NOW, current.getPrivate(), TestCerts.RANDOM);
    RenewRequest otherDevice = new RenewRequest(r.requestId(), "dev-2", r.csr(), r.at(), r.signature());
    RenewRequest later = new RenewRequest(r.requestId(), r.deviceId(), r.csr(), NOW.plusSeconds(1), r.signature());
    assertThat(otherDevice.signedBy(current.getPublic())).isFalse();
    assertThat(later.signedBy(current.getPublic())).isFalse();
  }

  @Test
  void aConfirmSignatureNeverVerifiesAsARenewSignature() throws Exception {
    KeyPair key = TestCerts.p256();
    ConfirmRequest c = ConfirmRequest.signed("r-1", "dev-1", "abc", NOW, key.getPrivate(), TestCerts.RANDOM);
    assertThat(((ConfirmRequest) ProvRequest.parse(utf8(c.toJson()))).signedBy(key.getPublic())).isTrue();
    assertThat(Signatures.verify(key.getPublic(),
        new RenewRequest("r-1", "dev-1", "abc".getBytes(StandardCharsets.UTF_8), NOW, new byte[0]).signedBytes(),
        c.signature())).isFalse();
  }

  @Test
  void aRenewResponseCarriesASealedKeyThatOpensOnlyWithTheNewKeyForThisRotation() throws Exception {
    KeyPair issuing = TestCerts.p256();
    KeyPair fresh = TestCerts.p256();
    X509Certificate leaf = TestCerts.selfSigned("dev-1", fresh);
    X509Certificate ca = TestCerts.selfSigned("issuing", issuing);
    byte[] sealed = SealedBox.seal(fresh.getPublic(), utf8("hf_key"), RenewResponse.apiKeyAssociatedData("dev-1", "r-1"),
        TestCerts.RANDOM);
    RenewResponse r = RenewResponse.signed("r-1", "dev-1", List.of(leaf, ca), "k1", sealed, NOW, List.of("sms:send"),
        NOW, issuing.getPrivate(), TestCerts.RANDOM);

    RenewResponse back = (RenewResponse) ProvAnswer.parse(utf8(r.toJson()));

    assertThat(back.signedByIssuer()).isTrue();
    assertThat(back.chain()).containsExactly(leaf, ca);
    assertThat(SealedBox.open(fresh.getPrivate(), fresh.getPublic(), back.apiKeySealed(),
        RenewResponse.apiKeyAssociatedData("dev-1", "r-1"))).isEqualTo(utf8("hf_key"));
    assertThatThrownBy(() -> SealedBox.open(fresh.getPrivate(), fresh.getPublic(), back.apiKeySealed(),
        RenewResponse.apiKeyAssociatedData("dev-1", "r-2"))).isNotNull();
    assertThatThrownBy(() -> SealedBox.open(fresh.getPrivate(), fresh.getPublic(), back.apiKeySealed(),
        EnrollResponse.apiKeyAssociatedData("dev-1"))).isNotNull();
    assertThat(back.toString()).doesNotContain(Fields.base64(sealed));
  }

  @Test
  void aConfirmedAnswerVerifiesWithTheIssuingKeyOnly() throws Exception {
    KeyPair issuing = TestCerts.p256();
    ConfirmResponse c = ConfirmResponse.signed("r-1", "dev-1", "0a", "k0", NOW, issuing.getPrivate(), TestCerts.RANDOM);
    ConfirmResponse back = (ConfirmResponse) ProvAnswer.parse(utf8(c.toJson()));
    assertThat(back.signedBy(issuing.getPublic())).isTrue();
    assertThat(back.signedBy(TestCerts.p256().getPublic())).isFalse();
    assertThat(back.revokedApiKeyId()).isEqualTo("k0");
  }

  @Test
  void anErrorSurvivesItsJsonWithAndWithoutARequestId() throws Exception {
    ProvError e = new ProvError(ProvError.Code.BAD_SIGNATURE, "no", Optional.of("r-1"));
    assertThat(ProvAnswer.parse(utf8(e.toJson()))).isEqualTo(e);
    ProvError anonymous = new ProvError(ProvError.Code.BAD_REQUEST, "no", Optional.empty());
    assertThat(ProvAnswer.parse(utf8(anonymous.toJson()))).isEqualTo(anonymous);
    assertThat(ProvError.Code.UNAVAILABLE.retryable).isTrue();
    assertThat(ProvError.Code.BAD_SIGNATURE.retryable).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"v\":1,\"type\":\"renew\",\"id\":\"r\",\"device\":\"d\",\"csr\":\"AA==\",\"at\":\"2026-11-23T12:00:00Z\"}",
      "{\"v\":1,\"type\":\"renew\",\"id\":\"r\",\"device\":\"d\",\"csr\":\"!!\",\"at\":\"2026-11-23T12:00:00Z\",\"sig\":\"AA==\"}",
      "{\"v\":1,\"type\":\"renew\",\"id\":\"r\",\"device\":\"d\",\"csr\":\"AA==\",\"at\":\"yesterday\",\"sig\":\"AA==\"}",
      "{\"v\":1,\"type\":\"confirm\",\"id\":\"r\",\"device\":\"d\",\"at\":\"2026-11-23T12:00:00Z\",\"sig\":\"AA==\"}",
      "{\"v\":1,\"type\":\"rekey\",\"id\":\"r\"}",
      "{\"v\":1,\"id\":\"r\"}",
      "{\"v\":2,\"type\":\"renew\"}",
      "{\"v\":1,\"type\":\"renew\",\"type\":\"confirm\"}",
      "[]", "{"})
  void aMalformedRequestIsRefusedWithAMessageNamingWhatIsWrong(String json) {
    assertThatThrownBy(() -> ProvRequest.parse(utf8(json))).isInstanceOf(MessageException.class)
        .hasMessageContaining("provisioning request");
  }

  @Test
  void anAnswerOfAnUnknownTypeOrCodeIsRefused() {
    assertThatThrownBy(() -> ProvAnswer.parse(utf8("{\"v\":1,\"type\":\"ok\"}")))
        .isInstanceOf(MessageException.class).hasMessageContaining("unknown type 'ok'");
    assertThatThrownBy(() -> ProvAnswer.parse(utf8("{\"v\":1,\"type\":\"error\",\"error\":\"nope\",\"message\":\"m\"}")))
        .isInstanceOf(MessageException.class).hasMessageContaining("unknown code 'nope'");
  }
}
