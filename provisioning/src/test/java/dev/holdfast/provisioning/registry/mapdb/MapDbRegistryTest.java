package dev.holdfast.provisioning.registry.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryContract;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import dev.holdfast.vault.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The embedded registry passes the contract, hides what it stores, and reads what the first release wrote. */
class MapDbRegistryTest extends RegistryContract {
  /**
   * A new seed for every vault: the test key is fixed, and the same seed would draw the same nonces,
   * which AES-GCM (rightly) refuses to reuse with one key.
   */
  private static final AtomicLong SEEDS = new AtomicLong(500);

  @Override
  protected Registry create(Path dir) throws Exception {
    return TestRegistries.create(dir, TestRandom.seeded(SEEDS.incrementAndGet()));
  }

  @Override
  protected Registry reopen(Path dir) throws Exception {
    return TestRegistries.open(dir, TestRandom.seeded(SEEDS.incrementAndGet()));
  }

  @Test
  void storesNeitherDeviceIdsNorSecretsReadablyInTheFile() throws Exception {
    try (Registry r = create(dir)) {
      r.write(tx -> {
        tx.devices().put(Device.enrolled("dev-findme", "default", T));
        tx.secrets().put("pepper", Secret.copyOf("sekrit-pepper-value".getBytes(StandardCharsets.US_ASCII)));
        return null;
      });
    }
    String raw = new String(Files.readAllBytes(dir.resolve("provisioning.db")), StandardCharsets.ISO_8859_1);
    assertThat(raw).doesNotContain("dev-findme").doesNotContain("sekrit-pepper-value");
  }

  @Test
  void printsNoHmacInRecordToStrings() {
    ApiKeyRecord key = new ApiKeyRecord("Abcd1234", "dev-1", new byte[] {1, 2}, Set.of("messages:send"), T,
        T.plus(Duration.ofDays(1)), ApiKeyRecord.State.ACTIVE, Optional.empty(), Optional.empty());
    assertThat(key.toString()).contains("Abcd1234").doesNotContain("[B@");
  }

  /** Bytes the first release's codecs wrote for these records: the format never changes under a vault. */
  /** Labels as the current release writes them: count, then each label's length and bytes. */
  static final TreeSet<String> LABELS = new TreeSet<>(List.of("site=berlin", "pilot"));

  static <T> void readsAndWritesExactly(Codec<T> codec, T record, String hex) {
    byte[] stored = HexFormat.of().parseHex(hex);
    assertThat(codec.decode(stored)).usingRecursiveComparison().isEqualTo(record);
    assertThat(HexFormat.of().formatHex(codec.encode(record))).isEqualTo(hex);
  }

  @Test
  void readsWhatTheFirstReleaseWroteAndWritesEveryRecordByteForByte() {
    assertThat(RecordCodecs.DEVICE.decode(HexFormat.of().parseHex(
        "01000000056465762d310000000764656661756c740000019ca9450a00000000075245564f4b45440000001450454e44494e475f"
            + "434f4e4649524d4154494f4e01000000046162313200")))
        .as("a first-release device (version 1) reads with no labels")
        .isEqualTo(new Device("dev-1", "default", T, Device.State.REVOKED, Device.RotationState.PENDING_CONFIRMATION,
            Optional.of("ab12"), Optional.empty(), new TreeSet<>()));
    readsAndWritesExactly(RecordCodecs.DEVICE, new Device("dev-1", "default", T, Device.State.REVOKED,
        Device.RotationState.PENDING_CONFIRMATION, Optional.of("ab12"), Optional.empty(), LABELS),
        "02000000056465762d310000000764656661756c740000019ca9450a00000000075245564f4b45440000001450454e44494e475f"
            + "434f4e4649524d4154494f4e01000000046162313200000000020000000570696c6f740000000b736974653d6265726c696e");
    readsAndWritesExactly(RecordCodecs.CERTIFICATE, new CertificateRecord("ab12", CertificateRecord.Kind.OPERATOR,
        "holdfast.operator.a", T, T.plus(Duration.ofDays(1)), CertificateRecord.State.REVOKED,
        Optional.of(T.plusSeconds(5)), new byte[] {9, 8}),
        "010000000461623132000000084f50455241544f5200000013686f6c64666173742e6f70657261746f722e610000019ca9450a00"
            + "0000019cae6b6600000000075245564f4b4544010000019ca9451d88000000020908");
    assertThat(RecordCodecs.API_KEY.decode(HexFormat.of().parseHex(
        "01000000084162636431323334000000056465762d31000000020102000000010000000d6d657373616765733a73656e640000019c"
            + "a9450a000000019cae6b6600000000054752414345010000019ca9451d8800")))
        .as("a first-release key (version 1) reads with no requests counted")
        .usingRecursiveComparison().isEqualTo(new ApiKeyRecord("Abcd1234", "dev-1", new byte[] {1, 2},
            new LinkedHashSet<>(List.of("messages:send")), T, T.plus(Duration.ofDays(1)), ApiKeyRecord.State.GRACE,
            Optional.of(T.plusSeconds(5)), Optional.empty()));
    readsAndWritesExactly(RecordCodecs.API_KEY, new ApiKeyRecord("Abcd1234", "dev-1", new byte[] {1, 2},
        new LinkedHashSet<>(List.of("messages:send")), T, T.plus(Duration.ofDays(1)), ApiKeyRecord.State.GRACE,
        Optional.of(T.plusSeconds(5)), Optional.of(T.plusSeconds(9)), 258),
        "02000000084162636431323334000000056465762d31000000020102000000010000000d6d657373616765733a73656e640000019c"
            + "a9450a000000019cae6b6600000000054752414345010000019ca9451d88010000019ca9452d280000000000000102");
    assertThat(RecordCodecs.TOKEN.decode(HexFormat.of().parseHex(
        "0100000008546f6b313233343500000001030000000764656661756c74000000009a7ec80000000001cf7c5800000000010000000e"
            + "6576656e74733a7075626c6973680000019ca9450a000000019cae6b66000000000852454445454d4544010000019ca9450a0001"
            + "000000056465762d31")))
        .as("a first-release token (version 1) reads with no labels")
        .usingRecursiveComparison().isEqualTo(new TokenRecord("Tok12345", new byte[] {3}, "default",
            Duration.ofDays(30), Duration.ofDays(90), new LinkedHashSet<>(List.of("events:publish")), T,
            T.plus(Duration.ofHours(24)), TokenRecord.State.REDEEMED, Optional.of(T), Optional.of("dev-1"),
            new TreeSet<>()));
    readsAndWritesExactly(RecordCodecs.TOKEN, new TokenRecord("Tok12345", new byte[] {3}, "default",
        Duration.ofDays(30), Duration.ofDays(90), new LinkedHashSet<>(List.of("events:publish")), T,
        T.plus(Duration.ofHours(24)), TokenRecord.State.REDEEMED, Optional.of(T), Optional.of("dev-1"), LABELS),
        "0200000008546f6b313233343500000001030000000764656661756c74000000009a7ec80000000001cf7c580000000001000000"
            + "0e6576656e74733a7075626c6973680000019ca9450a000000019cae6b66000000000852454445454d4544010000019ca9450a00"
            + "01000000056465762d31000000020000000570696c6f740000000b736974653d6265726c696e");
    readsAndWritesExactly(RecordCodecs.IDEMPOTENCY, new IdempotencyRecord("Abcd1234", "order-1", new byte[] {4},
        IdempotencyRecord.Phase.SENT, "relay-1", T, 201, "{\"id\":\"m\"}"),
        "01000000084162636431323334000000076f726465722d3100000001040000000453454e540000000772656c61792d310000019ca9"
            + "450a00000000c90000000a7b226964223a226d227d");
    readsAndWritesExactly(RecordCodecs.AUDIT, new AuditEvent(T, "operator:x", "cert.issued", Optional.of("dev-1"),
        "serial ab12"),
        "010000019ca9450a000000000a6f70657261746f723a780000000b636572742e69737375656401000000056465762d310000000b7365"
            + "7269616c2061623132");
    readsAndWritesExactly(RecordCodecs.LONG, 258L, "0000000000000102");
  }
}
