package dev.holdfast.provisioning.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapDbRegistryTest {
  @TempDir Path dir;
  final SecureRandom random = TestRandom.seeded(5);
  final Instant t = MutableClock.START;

  @Test
  void keepsEveryKindOfRecordAcrossAReopen() throws Exception {
    ApiKeyRecord key = new ApiKeyRecord("Abcd1234", "dev-1", new byte[] {1, 2}, Set.of("messages:send"), t,
        t.plus(Duration.ofDays(1)), ApiKeyRecord.State.GRACE, Optional.of(t.plusSeconds(5)), Optional.empty());
    TokenRecord token = new TokenRecord("Tok12345", new byte[] {3}, "default", Duration.ofDays(30), Duration.ofDays(90),
        Set.of("events:publish"), t, t.plus(Duration.ofHours(24)), TokenRecord.State.UNUSED, Optional.empty(),
        Optional.empty());
    CertificateRecord cert = new CertificateRecord("ab12", CertificateRecord.Kind.DEVICE, "dev-1", t,
        t.plus(Duration.ofDays(30)), CertificateRecord.State.VALID, Optional.empty(), new byte[] {9, 9});
    IdempotencyRecord idem = new IdempotencyRecord("Abcd1234", "order-1", new byte[] {4}, IdempotencyRecord.Phase.SENT,
        "relay-1", t, 201, "{\"id\":\"m\"}");
    try (MapDbRegistry r = TestRegistries.create(dir, random)) {
      r.write(tx -> {
        tx.put(Device.enrolled("dev-1", "default", t).withCurrentSerial("ab12"));
        tx.put(key);
        tx.put(token);
        tx.put(cert);
        tx.put(idem);
        tx.append(AuditEvent.of(t, "operator:test", "first", "dev-1", "one"));
        tx.append(AuditEvent.of(t, "operator:test", "second", null, "two"));
        tx.putSecret("pepper", Secret.copyOf(new byte[] {42}));
        return null;
      });
    }
    try (MapDbRegistry r = TestRegistries.open(dir, random)) {
      r.read(tx -> {
        assertThat(tx.device("dev-1").orElseThrow().currentSerial()).contains("ab12");
        assertThat(tx.apiKey("Abcd1234").orElseThrow()).usingRecursiveComparison().isEqualTo(key);
        assertThat(tx.token("Tok12345").orElseThrow()).usingRecursiveComparison().isEqualTo(token);
        assertThat(tx.certificate("ab12").orElseThrow().der()).containsExactly(9, 9);
        assertThat(tx.idempotency("Abcd1234", "order-1").orElseThrow().responseBody()).isEqualTo("{\"id\":\"m\"}");
        assertThat(tx.auditEvents()).extracting(AuditEvent::action).containsExactly("first", "second");
        assertThat(tx.secret("pepper").orElseThrow().bytes()).containsExactly(42);
        assertThat(tx.device("dev-2")).isEmpty();
        return null;
      });
    }
  }

  @Test
  void changesNothingWhenTheWorkFails() throws Exception {
    try (MapDbRegistry r = TestRegistries.create(dir, random)) {
      assertThatThrownBy(() -> r.write(tx -> {
        tx.put(Device.enrolled("dev-1", "default", t));
        throw new RegistryException(RegistryException.Reason.IO, "boom", null);
      })).isInstanceOf(RegistryException.class).hasMessage("boom");

      java.util.List<Device> devices = r.read(RegistryTx::devices);
      assertThat(devices).isEmpty();
    }
  }

  @Test
  void refusesChangesInsideARead() throws Exception {
    try (MapDbRegistry r = TestRegistries.create(dir, random)) {
      assertThatThrownBy(() -> r.read(tx -> {
        tx.put(Device.enrolled("dev-1", "default", t));
        return null;
      })).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void countsCountersFromOneAndKeepsThemIndependent() throws Exception {
    try (MapDbRegistry r = TestRegistries.create(dir, random)) {
      long first = r.write(tx -> tx.nextCounter("crl-number"));
      long second = r.write(tx -> tx.nextCounter("crl-number"));
      long other = r.write(tx -> tx.nextCounter("other"));
      assertThat(new long[] {first, second, other}).containsExactly(1, 2, 1);
    }
  }

  @Test
  void storesNeitherDeviceIdsNorSecretsReadablyInTheFile() throws Exception {
    try (MapDbRegistry r = TestRegistries.create(dir, random)) {
      r.write(tx -> {
        tx.put(Device.enrolled("dev-findme", "default", t));
        tx.putSecret("pepper", Secret.copyOf("sekrit-pepper-value".getBytes(StandardCharsets.US_ASCII)));
        return null;
      });
    }
    String raw = new String(Files.readAllBytes(dir.resolve("provisioning.db")), StandardCharsets.ISO_8859_1);
    assertThat(raw).doesNotContain("dev-findme").doesNotContain("sekrit-pepper-value");
  }

  @Test
  void printsNoHmacInRecordToStrings() {
    ApiKeyRecord key = new ApiKeyRecord("Abcd1234", "dev-1", new byte[] {1, 2}, Set.of("messages:send"), t,
        t.plus(Duration.ofDays(1)), ApiKeyRecord.State.ACTIVE, Optional.empty(), Optional.empty());
    assertThat(key.toString()).contains("Abcd1234").doesNotContain("[B@");
  }
}
