package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
  enum Colour {
    RED,
    GREEN
  }

  /** The same constants declared in another order, as a later version might. */
  enum Reordered {
    GREEN,
    RED
  }

  static final StoredNames<Colour> COLOURS = StoredNames.of(Colour.class, c -> switch (c) {
    case RED -> "red";
    case GREEN -> "green";
  });
  static final StoredNames<Reordered> REORDERED = StoredNames.of(Reordered.class, c -> switch (c) {
    case RED -> "red";
    case GREEN -> "green";
  });

  @Test
  void readsBackEveryKindOfFieldInOrder() {
    Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
    byte[] record = new RecordWriter(3).u8(200).bool(true).i32(-7).i64(Long.MIN_VALUE + 1).bytes(new byte[] {1, 2})
        .str("héllo").instant(at).duration(Duration.ofMillis(1500)).name(COLOURS, Colour.GREEN).optStr(Optional.empty())
        .optStr(Optional.of("x")).optInstant(Optional.of(at)).strings(List.of("b", "a")).toBytes();

    RecordReader r = RecordReader.of(record, "test").expect(3);
    assertThat(r.u8()).isEqualTo(200);
    assertThat(r.bool()).isTrue();
    assertThat(r.i32()).isEqualTo(-7);
    assertThat(r.i64()).isEqualTo(Long.MIN_VALUE + 1);
    assertThat(r.bytes()).containsExactly(1, 2);
    assertThat(r.str()).isEqualTo("héllo");
    assertThat(r.instant()).isEqualTo(at);
    assertThat(r.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(r.name(COLOURS)).isEqualTo(Colour.GREEN);
    assertThat(r.optStr()).isEmpty();
    assertThat(r.optStr()).contains("x");
    assertThat(r.optInstant()).contains(at);
    assertThat(r.strings()).containsExactly("b", "a");
    assertThat(r.hasMore()).isFalse();
  }

  @Test
  void storesEnumsByTheirStoredNameSoReorderingTheConstantsChangesNothing() {
    byte[] record = new RecordWriter(1).name(COLOURS, Colour.RED).toBytes();

    assertThat(RecordReader.of(record, "test").name(REORDERED)).isEqualTo(Reordered.RED);
    assertThat(HexFormat.of().formatHex(record)).isEqualTo("01" + "00000003" + "726564");
  }

  @Test
  void keepsFieldsLongerThan64KiB() {
    String big = "x".repeat(200_000);

    assertThat(RecordReader.of(new RecordWriter(1).str(big).toBytes(), "test").str()).isEqualTo(big);
  }

  @Test
  void refusesATruncatedRecordAnUnknownNameAndAnotherVersionNamingTheRecord() {
    byte[] good = new RecordWriter(1).str("abc").toBytes();
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);

    assertThatThrownBy(() -> RecordReader.of(truncated, "device").str())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("device record is truncated");
    assertThatThrownBy(() -> RecordReader.of(new RecordWriter(1).str("blue").toBytes(), "device").name(COLOURS))
        .hasMessageContaining("'blue'").hasMessageContaining("Colour");
    assertThatThrownBy(() -> RecordReader.of(good, "device").expect(2))
        .hasMessage("device record has version 1, expected 2");
    assertThatThrownBy(() -> RecordReader.of(new RecordWriter(1).i32(Integer.MAX_VALUE).toBytes(), "device").bytes())
        .hasMessageContaining("truncated or malformed");
  }

  @Test
  void wipesSecretInputOnceCopiedIn() {
    byte[] key = {9, 9, 9};
    byte[] record = new RecordWriter(1).secretBytes(key).toBytes();

    assertThat(key).containsOnly(0);
    assertThat(RecordReader.of(record, "test").bytes()).containsExactly(9, 9, 9);
  }

  @Test
  void refusesANameTableThatLeavesAConstantWithoutANameOrGivesTwoTheSame() {
    assertThatThrownBy(() -> StoredNames.of(Colour.class, c -> "same"))
        .hasMessageContaining("Colour.GREEN needs a stored name of its own");
    assertThatThrownBy(() -> StoredNames.of(Colour.class, c -> c == Colour.RED ? "red" : null))
        .hasMessageContaining("Colour.GREEN");
  }
}
