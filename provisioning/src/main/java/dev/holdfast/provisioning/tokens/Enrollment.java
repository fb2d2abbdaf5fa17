package dev.holdfast.provisioning.tokens;

import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.apikeys.ApiKeyException;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.ca.CaException;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.CsrRejectedException;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.tinylog.Logger;

/**
 * Turns a token and a CSR into a device and the signed {@link EnrollResponse} for it. The CSR is
 * checked before the token is looked at (a bad CSR must not burn a token). Then one registry
 * transaction redeems the token, creates the device and its certificate, creates the API key, seals
 * the key to the CSR's public key and signs the response: if any step fails, nothing of it is
 * committed and the token stays unused. The key's plaintext is wiped once sealed.
 * {@code POST /v1/enroll} and the air-gapped {@code enroll --in/--out} both use it.
 */
public final class Enrollment {
  private final Registry registry;
  private final TokenService tokens;
  private final CertificateAuthority ca;
  private final ApiKeyService keys;
  private final Clock clock;
  private final SecureRandom random;

  public Enrollment(Registry registry, TokenService tokens, CertificateAuthority ca, ApiKeyService keys, Clock clock,
      SecureRandom random) {
    this.registry = registry;
    this.tokens = tokens;
    this.ca = ca;
    this.keys = keys;
    this.clock = clock;
    this.random = random;
  }

  public EnrollResponse enroll(EnrollRequest request, String actor)
      throws RedeemException, CsrRejectedException, CaException, ApiKeyException, RegistryException {
    PublicKey csrKey = CsrPolicy.check(request.csr());
    TokenService.Attempt attempt = tokens.attempt(request.tokenText());
    Object outcome;
    try {
      outcome = registry.write(tx -> {
        String deviceId = ca.newDeviceId(tx);
        Object decided = attempt.decide(tx, deviceId, actor);
        return decided instanceof Redemption r ? make(tx, r, csrKey, actor) : decided;
      });
    } catch (Abort a) {
      attempt.discard();
      if (a.getCause() instanceof CaException c) {
        throw c;
      }
      throw (ApiKeyException) a.getCause();
    }
    attempt.discard();
    if (outcome instanceof EnrollResponse response) {
      Logger.info("device {} enrolled with token {}; API key {} sealed to the device's key", response.deviceId(),
          attempt.id, response.apiKeyId());
      return response;
    }
    throw attempt.refusal(outcome);
  }

  private EnrollResponse make(RegistryTx tx, Redemption r, PublicKey csrKey, String actor) throws RegistryException {
    try {
      IssuedCertificate cert = ca.issueNewDevice(tx, r.deviceId(), csrKey, r.profile(), r.certLifetime(), actor);
      ApiKeyService.Created key = keys.create(tx, r.deviceId(), r.scopes(), r.keyLifetime(), actor);
      byte[] plain = key.key().asciiBytes();
      byte[] sealed;
      try {
        sealed = SealedBox.seal(csrKey, plain, EnrollResponse.apiKeyAssociatedData(r.deviceId()), random);
      } finally {
        Arrays.fill(plain, (byte) 0);
        key.key().destroy();
      }
      List<String> scopes = key.record().scopes().stream().sorted().toList();
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      return ca.signEnrollResponse(r.deviceId(), cert.chain(), key.key().id(), sealed, key.record().expiresAt(),
          scopes, now);
    } catch (CaException | ApiKeyException e) {
      throw new Abort(e);
    }
  }

  /** Carries a checked refusal out of the transaction, which rolls it back. */
  private static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort(Exception cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
