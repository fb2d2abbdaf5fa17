package dev.holdfast.provisioning.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.DeviceIds;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Registry} must do, whatever keeps the records: each implementation's test
 * extends this class and says how to create and reopen one (the embedded MapDB registry does; a
 * relational one will). Every aggregate keeps every field of its records across a reopen, finds
 * nothing for an unknown key, replaces on put; a transaction is all or nothing and writes are
 * serialised; a read refuses changes.
 */
public abstract class RegistryContract {
  protected static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir protected Path dir;
  private final List<Registry> opened = new ArrayList<>();

  /** A new, empty registry kept under {@code dir}. */
  protected abstract Registry create(Path dir) throws Exception;

  /** The registry under {@code dir} opened again, after the last one was closed. */
  protected abstract Registry reopen(Path dir) throws Exception;

  private Registry fresh() throws Exception {
    Registry r = create(dir);
    opened.add(r);
    return r;
  }

  private Registry again(Registry previous) throws Exception {
    previous.close();
    Registry r = reopen(dir);
    opened.add(r);
    return r;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(Registry::close);
  }

  protected static Device device(String id) {
    return Device.enrolled(id, "default", T);
  }

  protected static CertificateRecord certificate(String serial, CertificateRecord.Kind kind, String subject) {
    return new CertificateRecord(serial, kind, subject, T, T.plus(Duration.ofDays(30)), CertificateRecord.State.VALID,
        Optional.empty(), new byte[] {9, 9});
  }

  protected static ApiKeyRecord apiKey(String id, String deviceId) {
    return new ApiKeyRecord(id, deviceId, new byte[] {1, 2}, Set.of("messages:send", "events:publish"), T,
        T.plus(Duration.ofDays(1)), ApiKeyRecord.State.GRACE, Optional.of(T.plusSeconds(5)), Optional.of(T));
  }

  protected static TokenRecord token(String id) {
    return new TokenRecord(id, new byte[] {3}, "default", Duration.ofDays(30), Duration.ofDays(90),
        Set.of("events:publish"), T, T.plus(Duration.ofHours(24)), TokenRecord.State.REDEEMED, Optional.of(T),
        Optional.of("dev-1"), new TreeSet<>(List.of("pilot", "site=berlin")));
  }

  protected static IdempotencyRecord idempotency(String keyId, String key) {
    return new IdempotencyRecord(keyId, key, new byte[] {4}, IdempotencyRecord.Phase.SENT, "relay-1", T, 201,
        "{\"id\":\"m\"}");
  }

  @Test
  void keepsEveryFieldOfARotationAcrossAReopenByItsDevice() throws Exception {
    RotationRecord pending = new RotationRecord("dev-1", "r-1", RotationRecord.State.PENDING, "ab12", "cd34",
        "Abcd1234", "Efgh5678", T, "{\"v\":1}", Optional.empty(), Optional.empty());
    RotationRecord confirmed = pending.confirmed(T.plusSeconds(9), "{\"v\":1,\"type\":\"confirmed\"}");
    Registry r = fresh();
    r.write(tx -> {
      tx.rotations().put(pending);
      return null;
    });
    r.write(tx -> {
      tx.rotations().put(confirmed);
      return null;
    });

    r = again(r);
    r.read(tx -> {
      assertThat(tx.rotations().find("dev-1")).contains(confirmed);
      assertThat(tx.rotations().all()).containsExactly(confirmed);
      return null;
    });
  }

  @Test
  void keepsEveryFieldOfEveryKindOfRecordAcrossAReopen() throws Exception {
    Device d = new Device("dev-1", "default", T, Device.State.REVOKED, Device.RotationState.PENDING_CONFIRMATION,
        Optional.of("ab12"), Optional.of("cd34"), new TreeSet<>(List.of("pilot")));
    CertificateRecord c = certificate("ab12", CertificateRecord.Kind.OPERATOR, "holdfast.operator.a").revoked(T);
    ApiKeyRecord k = apiKey("Abcd1234", "dev-1");
    TokenRecord t = token("Tok12345");
    IdempotencyRecord i = idempotency("Abcd1234", "order-1");
    AuditEvent e = AuditEvent.of(T, "operator:test", "cert.issued", "dev-1", "serial ab12");
    Registry r = fresh();
    r.write(tx -> {
      tx.devices().put(d);
      tx.certificates().put(c);
      tx.apiKeys().put(k);
      tx.tokens().put(t);
      tx.idempotency().put(i);
      tx.audit().append(e);
      tx.secrets().put("pepper", Secret.copyOf(new byte[] {42}));
      return null;
    });

    r = again(r);
    r.read(tx -> {
      assertThat(tx.devices().find("dev-1").orElseThrow()).isEqualTo(d);
      assertThat(tx.certificates().find("ab12").orElseThrow()).usingRecursiveComparison().isEqualTo(c);
      assertThat(tx.apiKeys().find("Abcd1234").orElseThrow()).usingRecursiveComparison().isEqualTo(k);
      assertThat(tx.tokens().find("Tok12345").orElseThrow()).usingRecursiveComparison().isEqualTo(t);
      assertThat(tx.idempotency().find(i.key()).orElseThrow()).usingRecursiveComparison().isEqualTo(i);
      assertThat(tx.audit().all()).containsExactly(e);
      assertThat(tx.secrets().find("pepper").orElseThrow().bytes()).containsExactly(42);
      return null;
    });
  }

  @Test
  void findsNothingForAnUnknownKeyInAnyAggregate() throws Exception {
    Registry r = fresh();
    r.read(tx -> {
      assertThat(tx.devices().find("dev-none")).isEmpty();
      assertThat(tx.certificates().find("ff")).isEmpty();
      assertThat(tx.apiKeys().find("Nosuch12")).isEmpty();
      assertThat(tx.tokens().find("Nosuch12")).isEmpty();
      assertThat(tx.idempotency().find(new IdempotencyRecord.Key("k", "i"))).isEmpty();
      assertThat(tx.secrets().find("none")).isEmpty();
      assertThat(tx.devices().all()).isEmpty();
      assertThat(tx.audit().all()).isEmpty();
      return null;
    });
  }

  @Test
  void aPutReplacesTheRecordWithTheSameKey() throws Exception {
    Registry r = fresh();
    r.write(tx -> {
      tx.devices().put(device("dev-1"));
      return null;
    });
    r.write(tx -> {
      tx.devices().put(device("dev-1").withCurrentSerial("ab12"));
      return null;
    });

    var devices = r.read(tx -> tx.devices().all());

    assertThat(devices).containsExactly(device("dev-1").withCurrentSerial("ab12"));
  }

  @Test
  void findsCertificatesByKindAndSubjectAndApiKeysByDevice() throws Exception {
    Registry r = fresh();
    r.write(tx -> {
      tx.certificates().put(certificate("a1", CertificateRecord.Kind.DEVICE, "dev-1"));
      tx.certificates().put(certificate("a2", CertificateRecord.Kind.DEVICE, "dev-1"));
      tx.certificates().put(certificate("b1", CertificateRecord.Kind.DEVICE, "dev-2"));
      tx.certificates().put(certificate("c1", CertificateRecord.Kind.SERVER, "dev-1"));
      tx.apiKeys().put(apiKey("Key00001", "dev-1"));
      tx.apiKeys().put(apiKey("Key00002", "dev-2"));
      return null;
    });

    r.read(tx -> {
      assertThat(tx.certificates().of(CertificateRecord.Kind.DEVICE, "dev-1")).extracting(CertificateRecord::serial)
          .containsExactlyInAnyOrder("a1", "a2");
      assertThat(tx.apiKeys().ofDevice("dev-2")).extracting(ApiKeyRecord::id).containsExactly("Key00002");
      return null;
    });
  }

  private static List<String> keyIds(Registry r, String device) throws Exception {
    return r.read(tx -> tx.apiKeys().ofDevice(device)).stream().map(ApiKeyRecord::id).sorted().toList();
  }

  @Test
  void aDevicesApiKeysIncludeThoseOfItsOwnTransactionAndLaterCommitsButNotThoseRolledBack() throws Exception {
    Registry r = fresh();
    r.write(tx -> {
      tx.apiKeys().put(apiKey("Key00001", "dev-1"));
      tx.apiKeys().put(apiKey("Key00002", "dev-2"));
      return null;
    });
    List<String> first = keyIds(r, "dev-1");

    List<String> inside = r.write(tx -> {
      tx.apiKeys().put(apiKey("Key00003", "dev-1"));
      return tx.apiKeys().ofDevice("dev-1").stream().map(ApiKeyRecord::id).sorted().toList();
    });
    assertThatThrownBy(() -> r.write(tx -> {
      tx.apiKeys().put(apiKey("Key00004", "dev-1"));
      throw new RegistryException(RegistryException.Reason.IO, "rolled back by the test", null);
    })).isInstanceOf(RegistryException.class);

    assertThat(first).containsExactly("Key00001");
    assertThat(inside).containsExactly("Key00001", "Key00003");
    assertThat(keyIds(r, "dev-1")).containsExactly("Key00001", "Key00003");
    assertThat(keyIds(r, "dev-2")).containsExactly("Key00002");
    assertThat(keyIds(r, "dev-3")).isEmpty();
    assertThat(keyIds(again(r), "dev-1")).containsExactly("Key00001", "Key00003");
  }

  static List<String> revokedSerials(RegistryTx tx, Instant now) throws RegistryException {
    return tx.certificates().revokedUnexpired(now).stream().map(RevokedCertificate::serial).toList();
  }

  static List<String> revokedSerials(Registry r, Instant now) throws RegistryException {
    return r.read(tx -> revokedSerials(tx, now));
  }

  @Test
  void theRevokedUnexpiredCertificatesIncludeThoseOfItsOwnTransactionAndLaterCommitsButNotThoseRolledBack()
      throws Exception {
    Registry r = fresh();
    r.write(tx -> {
      tx.certificates().put(certificate("a1", CertificateRecord.Kind.DEVICE, "dev-1").revoked(T));
      tx.certificates().put(certificate("a2", CertificateRecord.Kind.DEVICE, "dev-1"));
      return null;
    });
    List<String> first = revokedSerials(r, T);

    List<String> inside = r.write(tx -> {
      tx.certificates().put(certificate("a2", CertificateRecord.Kind.DEVICE, "dev-1").revoked(T));
      return revokedSerials(tx, T);
    });
    assertThatThrownBy(() -> r.write(tx -> {
      tx.certificates().put(certificate("b1", CertificateRecord.Kind.DEVICE, "dev-2").revoked(T));
      throw new RegistryException(RegistryException.Reason.IO, "rolled back by the test", null);
    })).isInstanceOf(RegistryException.class);

    assertThat(first).containsExactly("a1");
    assertThat(inside).containsExactly("a1", "a2");
    assertThat(revokedSerials(r, T)).containsExactly("a1", "a2");
    assertThat(revokedSerials(r, T.plus(Duration.ofDays(30)))).as("expired: off the list").isEmpty();
    assertThat(revokedSerials(again(r), T)).containsExactly("a1", "a2");
  }

  static long campaignChanges(Registry r) throws RegistryException {
    return r.read(tx -> tx.rotations().campaignChanges());
  }

  @Test
  void countsCampaignChangesOnlyWhenTheirTransactionCommitsAndKeepsTheCountAcrossAReopen() throws Exception {
    Registry r = fresh();
    assertThat(campaignChanges(r)).isZero();
    r.write(tx -> {
      tx.rotations().campaignChanged();
      tx.rotations().campaignChanged();
      return null;
    });
    assertThatThrownBy(() -> r.write(tx -> {
      tx.rotations().campaignChanged();
      throw new RegistryException(RegistryException.Reason.IO, "rolled back by the test", null);
    })).isInstanceOf(RegistryException.class);

    assertThat(campaignChanges(r)).isEqualTo(2);
    assertThat(campaignChanges(again(r))).isEqualTo(2);
  }

  @Test
  void removesARecordAndSaysWhetherThereWasOne() throws Exception {
    Registry r = fresh();
    IdempotencyRecord i = idempotency("Abcd1234", "order-1");
    r.write(tx -> {
      tx.idempotency().put(i);
      tx.idempotency().put(idempotency("Abcd1234", "order-2"));
      return null;
    });

    var removed = r.write(tx -> tx.idempotency().remove(i.key()));

    assertThat(removed).isTrue();
    var removedAgain = r.write(tx -> tx.idempotency().remove(i.key()));
    assertThat(removedAgain).isFalse();
    var left = r.read(tx -> tx.idempotency().all());
    assertThat(left).extracting(IdempotencyRecord::idempotencyKey)
        .containsExactly("order-2");
  }

  @Test
  void keepsTheAuditLogInTheOrderItWasAppendedAcrossTransactionsAndReopens() throws Exception {
    Registry r = fresh();
    for (int i = 0; i < 12; i++) {
      String action = "event-" + i;
      r.write(tx -> {
        tx.audit().append(AuditEvent.of(T, "test", action, null, ""));
        return null;
      });
    }
    r = again(r);
    r.write(tx -> {
      tx.audit().append(AuditEvent.of(T, "test", "event-12", null, ""));
      return null;
    });

    var audit = r.read(tx -> tx.audit().all());

    assertThat(audit).extracting(AuditEvent::action)
        .containsExactly("event-0", "event-1", "event-2", "event-3", "event-4", "event-5", "event-6", "event-7",
            "event-8", "event-9", "event-10", "event-11", "event-12");
  }

  @Test
  void numbersCrlsFromOneUpwardsAndNeverGivesANumberTwice() throws Exception {
    Registry r = fresh();
    long first = r.write(tx -> tx.certificates().nextCrlNumber());
    long second = r.write(tx -> tx.certificates().nextCrlNumber());
    r = again(r);
    long third = r.write(tx -> tx.certificates().nextCrlNumber());

    assertThat(new long[] {first, second, third}).containsExactly(1, 2, 3);
  }

  @Test
  void changesNothingWhenTheWorkThrows() throws Exception {
    Registry r = fresh();
    assertThatThrownBy(() -> r.write(tx -> {
      tx.devices().put(device("dev-1"));
      tx.audit().append(AuditEvent.of(T, "test", "half", "dev-1", ""));
      throw new RegistryException(RegistryException.Reason.IO, "boom", null);
    })).isInstanceOf(RegistryException.class).hasMessage("boom");
    assertThatThrownBy(() -> r.write(tx -> {
      tx.tokens().put(token("Tok12345"));
      throw new IllegalStateException("a bug");
    })).isInstanceOf(IllegalStateException.class);

    r.read(tx -> {
      assertThat(tx.devices().all()).isEmpty();
      assertThat(tx.tokens().all()).isEmpty();
      assertThat(tx.audit().all()).isEmpty();
      return null;
    });
  }

  @Test
  void aWriteMovesTheGenerationOfEveryTableItChangedAndOfNoOther() throws Exception {
    Registry r = fresh();
    long devices = r.generation(Registry.Table.DEVICES);
    long keys = r.generation(Registry.Table.API_KEYS);
    long idempotency = r.generation(Registry.Table.IDEMPOTENCY);

    r.write(tx -> {
      tx.devices().put(device("dev-1"));
      tx.idempotency().remove(new IdempotencyRecord.Key("key-1", "k"));
      return null;
    });
    r.read(tx -> tx.apiKeys().find("Key12345"));
    r.write(tx -> tx.apiKeys().find("Key12345"));

    assertThat(r.generation(Registry.Table.DEVICES)).isGreaterThan(devices);
    assertThat(r.generation(Registry.Table.IDEMPOTENCY)).isGreaterThan(idempotency);
    assertThat(r.generation(Registry.Table.API_KEYS)).isEqualTo(keys);
  }

  @Test
  void refusesChangesInsideARead() throws Exception {
    Registry r = fresh();
    assertThatThrownBy(() -> r.read(tx -> {
      tx.devices().put(device("dev-1"));
      return null;
    })).isInstanceOf(UnsupportedOperationException.class);
    var devices = r.read(tx -> tx.devices().all());
    assertThat(devices).isEmpty();
  }

  @Test
  void serialisesWritesSoThatAReadDecideWriteNeverLosesAnUpdate() throws Exception {
    Registry r = fresh();
    r.write(tx -> {
      tx.devices().put(new Device("dev-count", "0", T, Device.State.ACTIVE, Device.RotationState.IDLE,
          Optional.empty(), Optional.empty(), new TreeSet<>()));
      return null;
    });
    int writers = 6;
    int each = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Object>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Callable<Object> increments = () -> {
          for (int i = 0; i < each; i++) {
            r.write(tx -> {
              Device d = tx.devices().find("dev-count").orElseThrow();
              tx.devices().put(new Device(d.id(), Integer.toString(Integer.parseInt(d.profile()) + 1), d.createdAt(),
                  d.state(), d.rotation(), d.currentSerial(), d.pendingSerial(), d.labels()));
              return null;
            });
          }
          return null;
        };
        done.add(pool.submit(increments));
      }
      for (Future<Object> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(r.read(tx -> tx.devices().find("dev-count")).orElseThrow().profile())
        .isEqualTo(Integer.toString(writers * each));
  }

  @Test
  void givesANewDeviceAnIdNoDeviceHas() throws Exception {
    Registry r = fresh();
    RandomGenerator first = new java.util.SplittableRandom(11);
    String taken = DeviceIds.random(first);
    r.write(tx -> {
      tx.devices().put(device(taken));
      return null;
    });

    String fresh = r.read(tx -> tx.devices().newId(new java.util.SplittableRandom(11)));

    assertThat(fresh).isNotEqualTo(taken);
    assertThat(DeviceIds.isValid(fresh)).isTrue();
  }
}
