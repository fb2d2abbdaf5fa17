package dev.holdfast.provisioning.tokens;

import dev.holdfast.protocol.crypto.Hkdf;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.support.ChecksummedToken;
import dev.holdfast.provisioning.support.Durations;
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
    Optional<Secret> existing = registry.read(tx -> tx.secret(PEPPER));
    Secret pepper = existing.isPresent() ? existing.get() : registry.write(tx -> {
      Optional<Secret> raced = tx.secret(PEPPER);
      if (raced.isPresent()) {
        return raced.get();
      }
      byte[] b = new byte[32];
      random.nextBytes(b);
      Secret s = Secret.wrap(b);
      tx.putSecret(PEPPER, s);
      return s;
    });
    return new TokenService(registry, pepper, clock, random);
  }

  /** A created token: plaintext (show once) and what is stored. */
  public record Created(EnrollmentToken token, TokenRecord record) {}

  public List<Created> create(int count, Profile profile, Duration ttl, String actor)
      throws TokenException, RegistryException {
    if (count < 1 || count > MAX_COUNT) {
      throw new TokenException(TokenException.Reason.POLICY, "--count must be 1.." + MAX_COUNT + ", got " + count);
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new TokenException(TokenException.Reason.POLICY,
          "--ttl must be between 1s and " + Durations.format(MAX_TTL) + ", got " + Durations.format(ttl));
    }
    Instant now = clock.instant();
    List<Created> out = registry.write(tx -> {
      List<Created> made = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String text;
        do {
          text = EnrollmentToken.FORMAT.generate(random);
        } while (tx.token(EnrollmentToken.FORMAT.idOf(text)).isPresent());
        EnrollmentToken token = new EnrollmentToken(text);
        TokenRecord r = new TokenRecord(token.id(), hmac(text), profile.name(), profile.certLifetime(),
            profile.keyLifetime(), profile.scopes(), now, now.plus(ttl), TokenRecord.State.UNUSED,
            Optional.empty(), Optional.empty());
        tx.put(r);
        made.add(new Created(token, r));
      }
      tx.append(AuditEvent.of(now, actor, "tokens.created", null,
          count + " token(s), profile " + profile.name() + ", ttl " + Durations.format(ttl)));
      return made;
    });
    Logger.info("created {} enrollment token(s) for profile {}", count, profile.name());
    return out;
  }

  /**
   * Redeems {@code presented} for {@code deviceId}: on success the token is marked used in the
   * same transaction that checked it.
   */
  public Redemption redeem(String presented, String deviceId, String actor) throws RedeemException, RegistryException {
    Attempt attempt = attempt(presented);
    Object outcome = registry.write(tx -> attempt.decide(tx, deviceId, actor));
    return attempt.result(outcome);
  }

  /**
   * A redemption in two halves, so that enrollment can decide inside its own transaction (with the
   * certificate and key made in the same one) and still get the distinct refusals.
   */
  Attempt attempt(String presented) throws RedeemException {
    Optional<ChecksummedToken.Defect> defect = EnrollmentToken.FORMAT.defect(presented);
    if (defect.isPresent()) {
      throw new RedeemException(RedeemException.Reason.MALFORMED,
          "not an enrollment token (expected hfe_ and 36 characters, checksum " + defect.get().name().toLowerCase()
              + "); check for a typo");
    }
    return new Attempt(EnrollmentToken.FORMAT.idOf(presented), hmac(presented));
  }

  /** One presented token: its public id and its HMAC (wiped once decided). */
  final class Attempt {
    final String id;
    private final byte[] candidate;

    private Attempt(String id, byte[] candidate) {
      this.id = id;
      this.candidate = candidate;
    }

    /** Checks and, if it may, marks the token used: a {@link Redemption} or a refusal reason. */
    Object decide(RegistryTx tx, String deviceId, String actor) throws RegistryException {
      Instant now = clock.instant();
      Optional<TokenRecord> record = tx.token(id);
      boolean matches = MessageDigest.isEqual(candidate, record.map(TokenRecord::hmac).orElse(standIn));
      if (!matches || record.isEmpty()) {
        return RedeemException.Reason.UNKNOWN;
      }
      TokenRecord t = record.get();
      if (t.state() == TokenRecord.State.REVOKED) {
        return RedeemException.Reason.REVOKED;
      }
      if (t.state() == TokenRecord.State.REDEEMED) {
        tx.append(AuditEvent.of(now, actor, "token.reuse-refused", t.redeemedBy().orElse(null),
            "token " + id + " presented again"));
        return RedeemException.Reason.ALREADY_REDEEMED;
      }
      if (!now.isBefore(t.expiresAt())) {
        return RedeemException.Reason.EXPIRED;
      }
      tx.put(t.redeemed(now, deviceId));
      tx.append(AuditEvent.of(now, actor, "token.redeemed", deviceId, "token " + id + ", profile " + t.profile()));
      return new Redemption(id, deviceId, t.profile(), t.certLifetime(), t.keyLifetime(), t.scopes());
    }

    /** What {@link #decide} returned, after its transaction committed: the redemption, or the refusal thrown. */
    Redemption result(Object outcome) throws RedeemException {
      Arrays.fill(candidate, (byte) 0);
      if (outcome instanceof Redemption r) {
        Logger.info("token {} redeemed by device {}", id, r.deviceId());
        return r;
      }
      throw refusal(outcome);
    }

    /** The refusal for a reason {@link #decide} returned, logged by the token's public id. */
    RedeemException refusal(Object outcome) {
      RedeemException.Reason reason = (RedeemException.Reason) outcome;
      Logger.warn("token {} refused: {}", id, reason);
      return new RedeemException(reason, message(reason, id));
    }

    /** Wipes the HMAC when the attempt is abandoned. */
    void discard() {
      Arrays.fill(candidate, (byte) 0);
    }
  }

  private static String message(RedeemException.Reason reason, String id) {
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
    return registry.read(tx -> tx.tokens()).stream()
        .sorted(Comparator.comparing(TokenRecord::createdAt).reversed().thenComparing(TokenRecord::id))
        .toList();
  }

  /** Withdraws an unused token. */
  public TokenRecord revoke(String id, String actor) throws TokenException, RegistryException {
    Instant now = clock.instant();
    Object outcome = registry.write(tx -> {
      Optional<TokenRecord> t = tx.token(id);
      if (t.isEmpty()) {
        return TokenException.Reason.UNKNOWN_TOKEN;
      }
      if (t.get().state() == TokenRecord.State.REDEEMED) {
        return TokenException.Reason.POLICY;
      }
      TokenRecord revoked = t.get().revoked();
      tx.put(revoked);
      tx.append(AuditEvent.of(now, actor, "token.revoked", null, "token " + id));
      return revoked;
    });
    if (outcome instanceof TokenRecord r) {
      return r;
    }
    if (outcome == TokenException.Reason.UNKNOWN_TOKEN) {
      throw new TokenException(TokenException.Reason.UNKNOWN_TOKEN, "no enrollment token with id " + id);
    }
    throw new TokenException(TokenException.Reason.POLICY,
        "token " + id + " was already redeemed; revoke the device instead ('certs revoke --device')");
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
