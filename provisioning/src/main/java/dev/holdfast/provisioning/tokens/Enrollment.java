package dev.holdfast.provisioning.tokens;

import dev.holdfast.provisioning.apikeys.ApiKeyException;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.ca.CaException;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.CsrRejectedException;
import dev.holdfast.provisioning.ca.DeviceIds;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.registry.RegistryException;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Turns a token and a CSR into a device: the CSR is checked before the token is spent (a bad CSR
 * must not burn a token), then the token is redeemed, the certificate issued and the API key made.
 * The air-gapped bench uses it through {@code enroll}; the HTTPS {@code /v1/enroll} will too.
 */
public final class Enrollment {
  private final TokenService tokens;
  private final CertificateAuthority ca;
  private final ApiKeyService keys;
  private final SecureRandom random;

  public Enrollment(TokenService tokens, CertificateAuthority ca, ApiKeyService keys, SecureRandom random) {
    this.tokens = tokens;
    this.ca = ca;
    this.keys = keys;
    this.random = random;
  }

  /** The new device's credentials; the API key plaintext is in {@code key} only. */
  public record Result(IssuedCertificate certificate, ApiKeyService.Created key) {}

  public Result enroll(String token, byte[] csr, String actor)
      throws RedeemException, CsrRejectedException, CaException, ApiKeyException, RegistryException {
    CsrPolicy.check(csr);
    Redemption r = tokens.redeem(token, DeviceIds.random(random), actor);
    IssuedCertificate cert = ca.issueDevice(csr, Optional.of(r.deviceId()), r.profile(), r.certLifetime(), actor);
    ApiKeyService.Created key = keys.create(r.deviceId(), r.scopes(), r.keyLifetime(), actor);
    return new Result(cert, key);
  }
}
