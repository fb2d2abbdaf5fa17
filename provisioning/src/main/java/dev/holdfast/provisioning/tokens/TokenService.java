package dev.holdfast.provisioning.tokens;

import dev.holdfast.common.Result;
import dev.holdfast.common.time.Durations;
import dev.holdfast.protocol.crypto.Hkdf;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.apikeys.Peppers;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.support.ChecksummedToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Enrollment tokens: created in batches, stored as {@code HMAC-SHA256(pepper, token)}, redeemed
 * once. Redemption reads, decides and marks the token inside one registry transaction, and the
 * registry serialises transactions, so of any number of concurrent redemptions exactly one wins.
 * Enrollment splits it ({@link #present}, {@link #check}, {@link #redeem(RegistryTx, TokenRecord,
 * String, String)}) so that nothing is written before its certificate is sure to be issued.
 */
public final class TokenService {
  static final String PEPPER = "tokens.pepper";
  public static final int MAX_COUNT = 1000;
  public static final Duration MAX_TTL = Duration.ofDays(30);

  private final Registry registry;
  private final Secret pepper;
  private final Clock clock;
  private final SecureRandom random;
  private final byte[] standIn = new byte[32];

  private TokenService(Registry registry, Secret pepper, Clock clock, SecureRandom random) {
    this.registry = registry;
    this.pepper = pepper;
    this.clock = clock;
    this.random = random;
    random.nextBytes(standIn);
  }

  /** Opens the service, creating its pepper on first use. */
  public static TokenService open(Registry registry, Clock clock, SecureRandom random) throws RegistryException {
    return new TokenService(registry, Peppers.loadOrCreate(registry, PEPPER, random), clock, random);
  }

  /** A created token: plaintext (show once) and what is stored. */
  public record Created(EnrollmentToken token, TokenRecord record) {}

  public Result<List<Created>, TokenRefusal> create(int count, Profile profile, Duration ttl, String actor)
      throws RegistryException {
    if (count < 1 || count > MAX_COUNT) {
      return Result.refused(TokenRefusal.LIMITS, "--count must be 1.." + MAX_COUNT + ", got " + count);
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      return Result.refused(TokenRefusal.LIMITS,
          "--ttl must be between 1s and " + Durations.format(MAX_TTL) + ", got " + Durations.format(ttl));
    }
    Instant now = clock.instant();
    List<Created> out = registry.write(tx -> {
      List<Created> made = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String text;
        do {
          text = EnrollmentToken.FORMAT.generate(random);
        } while (tx.tokens().find(EnrollmentToken.FORMAT.idOf(text)).isPresent());
        EnrollmentToken token = new EnrollmentToken(text);
        TokenRecord r = new TokenRecord(token.id(), hmac(text), profile.name(), profile.certLifetime(),
            profile.keyLifetime(), profile.scopes(), now, now.plus(ttl), TokenRecord.State.UNUSED,
            Optional.empty(), Optional.empty(), profile.labels());
        tx.tokens().put(r);
        made.add(new Created(token, r));
      }
      tx.audit().append(AuditEvent.of(now, actor, "tokens.created", null,
          count + " token(s), profile " + profile.name() + ", ttl " + Durations.format(ttl)));
      return made;
    });
    Logger.info("created {} enrollment token(s) for profile {}", count, profile.name());
    return Result.ok(out);
  }

  /** One presented token: its public id and its HMAC ({@link #discard} wipes it). */
  public static final class Presented {
    private final String id;
    private final byte[] hmac;

    private Presented(String id, byte[] hmac) {
      this.id = id;
      this.hmac = hmac;
    }

    public String id() {
      return id;
    }

    public void discard() {
      Arrays.fill(hmac, (byte) 0);
    }

    @Override
    public String toString() {
      return "Presented[" + id + ", redacted]";
    }
  }

  /** A presented token, checked offline (shape and checksum) and hashed; no lookup yet. */
  public Result<Presented, RedeemRefusal> present(String text) {
    Optional<ChecksummedToken.Defect> defect = EnrollmentToken.FORMAT.defect(text);
    if (defect.isPresent()) {
      return Result.refused(RedeemRefusal.MALFORMED, "not an enrollment token (expected hfe_ and 36 characters, "
          + "checksum " + defect.get().name().toLowerCase(java.util.Locale.ROOT) + "); check for a typo");
    }
    return Result.ok(new Presented(EnrollmentToken.FORMAT.idOf(text), hmac(text)));
  }

  /**
   * Whether {@code p} may be redeemed now, without marking it: the token it is, or why not. The
   * comparison takes the same path for unknown ids (a random stand-in HMAC). A second use of a
   * redeemed token is written to the audit log: it may mean the token leaked.
   */
  public Result<TokenRecord, RedeemRefusal> check(RegistryTx tx, Presented p, String actor) throws RegistryException {
    Optional<TokenRecord> record = tx.tokens().find(p.id);
    boolean matches = MessageDigest.isEqual(p.hmac, record.map(TokenRecord::hmac).orElse(standIn));
    RedeemRefusal refusal = null;
    if (!matches || record.isEmpty()) {
      refusal = RedeemRefusal.UNKNOWN;
    } else if (record.get().state() == TokenRecord.State.REVOKED) {
      refusal = RedeemRefusal.REVOKED;
    } else if (record.get().state() == TokenRecord.State.REDEEMED) {
      tx.audit().append(AuditEvent.of(clock.instant(), actor, "token.reuse-refused",
          record.get().redeemedBy().orElse(null), "token " + p.id + " presented again"));
      refusal = RedeemRefusal.ALREADY_REDEEMED;
    } else if (!clock.instant().isBefore(record.get().expiresAt())) {
      refusal = RedeemRefusal.EXPIRED;
    }
    if (refusal != null) {
      Logger.warn("token {} refused: {}", p.id, refusal);
      return Result.refused(refusal, message(refusal, p.id));
    }
    return Result.ok(record.get());
  }

  /** Marks a token that {@link #check} accepted in this transaction as redeemed by {@code deviceId}. */
  public Redemption redeem(RegistryTx tx, TokenRecord t, String deviceId, String actor) throws RegistryException {
    Instant now = clock.instant();
    tx.tokens().put(t.redeemed(now, deviceId));
    tx.audit().append(AuditEvent.of(now, actor, "token.redeemed", deviceId,
        "token " + t.id() + ", profile " + t.profile()));
    return new Redemption(t.id(), deviceId, t.profile(), t.certLifetime(), t.keyLifetime(), t.scopes());
  }

  /** Redeems {@code presented} for {@code deviceId} in a transaction of its own. */
  public Result<Redemption, RedeemRefusal> redeem(String presented, String deviceId, String actor)
      throws RegistryException {
    Result<Presented, RedeemRefusal> p = present(presented);
    if (p instanceof Result.Refused<Presented, RedeemRefusal> r) {
      return r.cast();
    }
    try {
      return registry.write(tx -> {
        Result<TokenRecord, RedeemRefusal> checked = check(tx, p.ok().orElseThrow(), actor);
        return checked.isOk() ? Result.ok(redeem(tx, checked.ok().orElseThrow(), deviceId, actor))
            : ((Result.Refused<TokenRecord, RedeemRefusal>) checked).cast();
      });
    } finally {
      p.ok().orElseThrow().discard();
    }
  }

  private static String message(RedeemRefusal reason, String id) {
    return switch (reason) {
      case UNKNOWN -> "enrollment token " + id + " is not known here (wrong fleet, or mistyped)";
      case EXPIRED -> "enrollment token " + id + " has expired; ask for a new one";
      case ALREADY_REDEEMED -> "enrollment token " + id + " was already used; tokens are single use";
      case REVOKED -> "enrollment token " + id + " was revoked";
      case MALFORMED -> "not an enrollment token";
    };
  }

  /** Tokens, newest first. */
  public List<TokenRecord> list() throws RegistryException {
    return registry.read(tx -> tx.tokens().all()).stream()
        .sorted(Comparator.comparing(TokenRecord::createdAt).reversed().thenComparing(TokenRecord::id))
        .toList();
  }

  /** Withdraws an unused token. */
  public Result<TokenRecord, TokenRefusal> revoke(String id, String actor) throws RegistryException {
    Instant now = clock.instant();
    return registry.write(tx -> {
      Optional<TokenRecord> t = tx.tokens().find(id);
      if (t.isEmpty()) {
        return Result.refused(TokenRefusal.UNKNOWN_TOKEN, "no enrollment token with id " + id);
      }
      if (t.get().state() == TokenRecord.State.REDEEMED) {
        return Result.refused(TokenRefusal.ALREADY_REDEEMED,
            "token " + id + " was already redeemed; revoke the device instead ('revoke --device')");
      }
      TokenRecord revoked = t.get().revoked();
      tx.tokens().put(revoked);
      tx.audit().append(AuditEvent.of(now, actor, "token.revoked", null, "token " + id));
      return Result.ok(revoked);
    });
  }

  /** UNUSED/REDEEMED/REVOKED, or EXPIRED for an unused token past its time. */
  public static String displayState(TokenRecord t, Instant now) {
    return t.state() == TokenRecord.State.UNUSED && !now.isBefore(t.expiresAt()) ? "EXPIRED" : t.state().name();
  }

  private byte[] hmac(String text) {
    return Hkdf.hmac(pepper, text.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "TokenService[pepper redacted]";
  }
}
