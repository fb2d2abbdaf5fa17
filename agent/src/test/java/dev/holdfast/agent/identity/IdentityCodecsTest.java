package dev.holdfast.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.testing.TestFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The identity records: written in the shared record format, and still read as the first release wrote them. */
class IdentityCodecsTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in = IdentityCodecsTest.class.getResourceAsStream(name)) {
      return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
  }

  /** Whether {@code key} signs what the certificate's public key verifies: the pair belongs together. */
  static boolean pair(java.security.PrivateKey key, java.security.PublicKey publicKey) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(publicKey);
    v.update(new byte[] {1, 2, 3});
    return v.verify(sig);
  }

  @Test
  void readsACredentialSetStoredByTheFirstReleaseWithEveryFieldIntact() throws Exception {
    CredentialSet set = IdentityCodecs.CREDENTIAL_SET.decode(fixture("credential-set-v1.hex"));

    assertThat(set.deviceId()).isEqualTo("dev-0123456789abcdef");
    assertThat(set.chain()).hasSize(3);
    assertThat(set.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=dev-0123456789abcdef");
    assertThat(set.fleetRoot().getSubjectX500Principal().getName()).isEqualTo("CN=Test Fleet 1 root");
    assertThat(set.certificateNotAfter()).isEqualTo(Instant.parse("2027-01-03T17:20:57Z"));
    assertThat(pair(set.privateKey(), set.publicKey())).isTrue();
    assertThat(new String(set.apiKey().bytes(), StandardCharsets.US_ASCII)).isEqualTo("hf_Key123");
    assertThat(set.apiKeyId()).isNotBlank();
    assertThat(set.apiKeyExpiresAt()).isEqualTo(Instant.parse("2027-03-04T17:20:57.556805925Z"));
    assertThat(set.scopes()).containsExactly("messages:send");
    assertThat(set.commandKey().getAlgorithm()).isEqualTo("EC");
    assertThat(set.enrolledAt()).isEqualTo(Instant.parse("2026-12-04T17:20:57.084977621Z"));
  }

  @Test
  void readsAPendingKeyStoredByTheFirstRelease() throws Exception {
    PendingKey key = IdentityCodecs.PENDING_KEY.decode(fixture("pending-key-v1.hex"));

    assertThat(pair(key.privateKey(), key.publicKey())).isTrue();
    assertThat(key.createdAt()).isEqualTo(Instant.parse("2026-12-04T17:20:55.585643177Z"));
  }

  @Test
  void writesTheSharedRecordFormatAndReadsItBackToTheMillisecond() throws Exception {
    TestFleet fleet = TestFleet.create();
    KeyPair pair = TestFleet.keyPair();
    Instant now = Instant.now();
    PendingKey key = new PendingKey(pair.getPrivate(), pair.getPublic(), now);
    CredentialSet set = ResponseVerifier.verify(fleet.respondFor(pair.getPublic(), "dev-0123456789abcdef",
        "hf_Key123", TestFleet.SCOPES), fleet.root, key, new MutableClock(now));

    byte[] stored = IdentityCodecs.CREDENTIAL_SET.encode(set);
    CredentialSet back = IdentityCodecs.CREDENTIAL_SET.decode(stored);
    PendingKey keyBack = IdentityCodecs.PENDING_KEY.decode(IdentityCodecs.PENDING_KEY.encode(key));

    assertThat(stored[0]).as("version").isEqualTo((byte) 2);
    assertThat(back.deviceId()).isEqualTo(set.deviceId());
    assertThat(back.chain()).isEqualTo(set.chain());
    assertThat(back.fleetRoot()).isEqualTo(set.fleetRoot());
    assertThat(back.privateKey().getEncoded()).isEqualTo(set.privateKey().getEncoded());
    assertThat(back.apiKey().bytes()).isEqualTo(set.apiKey().bytes());
    assertThat(back.apiKeyId()).isEqualTo(set.apiKeyId());
    assertThat(back.apiKeyExpiresAt()).isEqualTo(set.apiKeyExpiresAt().truncatedTo(ChronoUnit.MILLIS));
    assertThat(back.scopes()).isEqualTo(set.scopes());
    assertThat(back.commandKey()).isEqualTo(set.commandKey());
    assertThat(back.enrolledAt()).isEqualTo(now.truncatedTo(ChronoUnit.MILLIS));
    assertThat(keyBack.createdAt()).isEqualTo(now.truncatedTo(ChronoUnit.MILLIS));
    assertThat(keyBack.privateKey().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void refusesARecordOfAVersionItDoesNotKnow() {
    byte[] future = {7, 0, 0, 0, 0};

    assertThatThrownBy(() -> IdentityCodecs.PENDING_KEY.decode(future))
        .hasMessageContaining("identity record version 7 is not known to this agent");
  }
}
