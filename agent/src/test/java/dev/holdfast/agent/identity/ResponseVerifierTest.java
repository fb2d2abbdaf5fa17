package dev.holdfast.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.protocol.messages.EnrollResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks on an enrollment response, at the injected clock's time. */
class ResponseVerifierTest {
  static final String DEVICE = "dev-0123456789abcdef";
  final TestFleet fleet = TestFleet.create();
  final KeyPair pair = TestFleet.keyPair();
  final PendingKey key = new PendingKey(pair.getPrivate(), pair.getPublic(), Instant.now());
  final MutableClock clock = new MutableClock(Instant.now());

  EnrollResponse response() {
    return fleet.respondFor(pair.getPublic(), DEVICE, "hf_Key123", TestFleet.SCOPES);
  }

  @Test
  void aGoodResponseBecomesACredentialSetWithTheOpenedApiKey() throws Exception {
    CredentialSet set = ResponseVerifier.verify(response(), fleet.root, key, clock);
    assertThat(new String(set.apiKey().bytes(), StandardCharsets.UTF_8)).isEqualTo("hf_Key123");
    assertThat(set.enrolledAt()).isEqualTo(clock.instant());
    assertThat(set.chain()).hasSize(3).endsWith(fleet.root);
  }

  @Test
  void theChainIsValidatedAtTheClocksTimeNotTheSystems() {
    EnrollResponse r = response();
    clock.advance(Duration.ofDays(31));
    assertThatThrownBy(() -> ResponseVerifier.verify(r, fleet.root, key, clock))
        .isInstanceOf(EnrollmentException.class).hasMessageContaining("does not validate");
  }

  @Test
  void anApiKeyAlreadyExpiredAtTheClocksTimeIsRefused() {
    EnrollResponse good = response();
    EnrollResponse r = EnrollResponse.signed(DEVICE, good.chain(), good.apiKeyId(), good.apiKeySealed(),
        clock.instant().minusSeconds(1), good.scopes(), good.commandKey(), good.issuedAt(),
        fleet.issuingKey.getPrivate(), new SecureRandom());
    assertThatThrownBy(() -> ResponseVerifier.verify(r, fleet.root, key, clock))
        .hasMessageContaining("expired at");
  }

  @Test
  void anApiKeySealedForAnotherDeviceIdDoesNotOpen() {
    EnrollResponse other = fleet.respondFor(pair.getPublic(), "dev-ffffffffffffffff", "hf_Key123", TestFleet.SCOPES);
    EnrollResponse good = response();
    EnrollResponse r = EnrollResponse.signed(DEVICE, good.chain(), good.apiKeyId(), other.apiKeySealed(),
        good.apiKeyExpiresAt(), good.scopes(), good.commandKey(), good.issuedAt(), fleet.issuingKey.getPrivate(),
        new SecureRandom());
    assertThatThrownBy(() -> ResponseVerifier.verify(r, fleet.root, key, clock))
        .hasMessageContaining("not sealed to this device's key");
  }

  @Test
  void aMalformedDeviceIdIsRefused() {
    EnrollResponse r = fleet.respondFor(pair.getPublic(), "holdfast.provisioning", "hf_Key123", TestFleet.SCOPES);
    assertThatThrownBy(() -> ResponseVerifier.verify(r, fleet.root, key, clock))
        .hasMessageContaining("device id is not of the form");
  }

  @Test
  void anIdTheCaMayIssueIsAcceptedEvenWhenAnOperatorChoseIt() throws Exception {
    EnrollResponse r = fleet.respondFor(pair.getPublic(), "pump-7-west-wing", "hf_Key123", TestFleet.SCOPES);

    assertThat(ResponseVerifier.verify(r, fleet.root, key, clock).deviceId()).isEqualTo("pump-7-west-wing");
  }

  @Test
  void everyRefusalIsResponseInvalid() {
    EnrollResponse good = response();
    EnrollResponse r = new EnrollResponse(DEVICE, good.chain(), good.apiKeyId(), good.apiKeySealed(),
        good.apiKeyExpiresAt(), List.of(), good.commandKey(), good.issuedAt(), good.signature());
    assertThatThrownBy(() -> ResponseVerifier.verify(r, fleet.root, key, clock))
        .isInstanceOfSatisfying(EnrollmentException.class,
            e -> assertThat(e.reason()).isEqualTo(EnrollmentException.Reason.RESPONSE_INVALID));
  }
}
