package dev.holdfast.provisioning.enrollment;

import dev.holdfast.common.Result;
import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.KeyRefusal;
import dev.holdfast.provisioning.ca.CaRefusal;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.CsrRefusal;
import dev.holdfast.provisioning.ca.IssueRequest;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.tokens.Redemption;
import dev.holdfast.provisioning.tokens.RedeemRefusal;
import dev.holdfast.provisioning.tokens.TokenService;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.tinylog.Logger;

/**
 * Turns a token and a CSR into a device and the signed {@link EnrollResponse} for it, or into the
 * {@link EnrollError.Code} the device is told. The CSR is checked before the token is looked at (a
 * bad CSR must not burn a token). Then one registry transaction checks the token, issues the
 * certificate (which creates the device), redeems the token, creates the API key, seals it to the
 * CSR's key and signs the response. Everything that can refuse is decided before anything is
 * written, so a refusal leaves no device and an unused token; a failure after that (the registry,
 * a bug) throws and rolls the whole transaction back. {@code POST /v1/enroll} and the air-gapped
 * {@code enroll --in/--out} both use it.
 */
public final class Enrollment {
  /** Told to the device when the service, not the request, is at fault. */
  static final String NOT_SPENT = "the token was not spent";

  /** Signs a response with the issuing CA's key ({@code FleetCa#signEnrollResponse}). */
  @FunctionalInterface
  public interface ResponseSigner {
    EnrollResponse sign(String deviceId, List<X509Certificate> chain, String apiKeyId, byte[] apiKeySealed,
        Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt);
  }

  private final Registry registry;
  private final TokenService tokens;
  private final CertificateAuthority ca;
  private final ResponseSigner signer;
  private final ApiKeyService keys;
  private final Clock clock;
  private final SecureRandom random;

  public Enrollment(Registry registry, TokenService tokens, CertificateAuthority ca, ResponseSigner signer,
      ApiKeyService keys, Clock clock, SecureRandom random) {
    this.registry = registry;
    this.tokens = tokens;
    this.ca = ca;
    this.signer = signer;
    this.keys = keys;
    this.clock = clock;
    this.random = random;
  }

  public Result<EnrollResponse, EnrollError.Code> enroll(EnrollRequest request, String actor)
      throws RegistryException {
    Result<PublicKey, CsrRefusal> csr = CsrPolicy.check(request.csr());
    if (csr instanceof Result.Refused<PublicKey, CsrRefusal> r) {
      return Result.refused(EnrollError.Code.CSR_REJECTED, r.message() + "; " + NOT_SPENT);
    }
    Result<TokenService.Presented, RedeemRefusal> presented = tokens.present(request.tokenText());
    if (presented instanceof Result.Refused<TokenService.Presented, RedeemRefusal> r) {
      return Result.refused(code(r.reason()), r.message());
    }
    TokenService.Presented token = presented.ok().orElseThrow();
    try {
      Result<EnrollResponse, EnrollError.Code> outcome =
          registry.write(tx -> enroll(tx, token, csr.ok().orElseThrow(), actor));
      outcome.ok().ifPresent(response -> Logger.info("device {} enrolled with token {}; API key {} sealed to the "
          + "device's key", response.deviceId(), token.id(), response.apiKeyId()));
      return outcome;
    } finally {
      token.discard();
    }
  }

  private Result<EnrollResponse, EnrollError.Code> enroll(RegistryTx tx, TokenService.Presented presented,
      PublicKey csrKey, String actor) throws RegistryException {
    Result<TokenRecord, RedeemRefusal> checked = tokens.check(tx, presented, actor);
    if (checked instanceof Result.Refused<TokenRecord, RedeemRefusal> r) {
      return Result.refused(code(r.reason()), r.message());
    }
    TokenRecord token = checked.ok().orElseThrow();
    Result<?, KeyRefusal> keyPolicy = ApiKeyService.check(token.scopes(), token.keyLifetime());
    if (keyPolicy instanceof Result.Refused<?, KeyRefusal> r) {
      return internal("token " + token.id() + " entitles to an API key that cannot be made: " + r.message());
    }
    String deviceId = tx.devices().newId(random);
    Result<IssuedCertificate, CaRefusal> issued = ca.issue(tx,
        new IssueRequest(deviceId, csrKey, token.profile(), token.certLifetime(), actor, token.labels()));
    if (issued instanceof Result.Refused<IssuedCertificate, CaRefusal> r) {
      return internal("the CA refused the certificate of token " + token.id() + ": " + r.message());
    }
    Redemption redeemed = tokens.redeem(tx, token, deviceId, actor);
    ApiKeyService.Created key = keys.create(tx, deviceId, redeemed.scopes(), redeemed.keyLifetime(), actor)
        .orElseThrow(r -> new IllegalStateException("the API key of a device just made was refused: " + r.message()));
    byte[] plain = key.key().asciiBytes();
    byte[] sealed;
    try {
      sealed = SealedBox.seal(csrKey, plain, EnrollResponse.apiKeyAssociatedData(deviceId), random);
    } finally {
      Arrays.fill(plain, (byte) 0);
      key.key().destroy();
    }
    List<String> scopes = key.record().scopes().stream().sorted().toList();
    return Result.ok(signer.sign(deviceId, issued.ok().orElseThrow().chain(), key.key().id(), sealed,
        key.record().expiresAt(), scopes, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
  }

  /** A fault of the service's own (its policy, its CA): the operator's log says what; the device is told to ask. */
  private static Result<EnrollResponse, EnrollError.Code> internal(String forTheLog) {
    Logger.error("enrollment refused: {}", forTheLog);
    return Result.refused(EnrollError.Code.INTERNAL,
        "the provisioning service could not complete the enrollment; " + NOT_SPENT + "; tell the fleet operator");
  }

  /** The wire code the device gets for a token refusal. */
  static EnrollError.Code code(RedeemRefusal reason) {
    return switch (reason) {
      case MALFORMED -> EnrollError.Code.TOKEN_MALFORMED;
      case UNKNOWN -> EnrollError.Code.TOKEN_UNKNOWN;
      case EXPIRED -> EnrollError.Code.TOKEN_EXPIRED;
      case ALREADY_REDEEMED -> EnrollError.Code.TOKEN_USED;
      case REVOKED -> EnrollError.Code.TOKEN_REVOKED;
    };
  }

  /** What a failure of the registry (thrown, so everything rolled back) is to the device. */
  public static EnrollError failure(RegistryException e) {
    if (e.reason() != RegistryException.Reason.CORRUPT) {
      return new EnrollError(EnrollError.Code.UNAVAILABLE,
          "the provisioning service cannot write its registry right now; " + NOT_SPENT + "; retry later");
    }
    return new EnrollError(EnrollError.Code.INTERNAL,
        "the provisioning service could not complete the enrollment; " + NOT_SPENT + "; tell the fleet operator");
  }

  /** What an unexpected failure (a bug) is to the device. */
  public static EnrollError unexpected() {
    return new EnrollError(EnrollError.Code.INTERNAL, "internal error; " + NOT_SPENT + "; tell the fleet operator");
  }
}
