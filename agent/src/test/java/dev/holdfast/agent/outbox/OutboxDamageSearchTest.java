package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.vault.Vault;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Past a damaged batch, opening looks for intact ones a 64 KiB chunk of the segment at a time;
 * the chunks overlap by a batch header's length less one. Here the damaged batch is sized so that
 * the next batch's header starts just before the first chunk ends (cut by the chunk's end), on
 * its last byte, or at the next chunk's first: each time a repair finds that batch, names where
 * the loss ends, and keeps every record after it.
 */
class OutboxDamageSearchTest {
  /** 256 KiB segments (outbox.max-bytes / 64), so one batch can be larger than a chunk. */
  static final OutboxSettings SETTINGS = new OutboxSettings(1000, 16 << 20, 128 * 1024,
      OutboxSettings.WhenFull.REFUSE, Duration.ofHours(1), 4, Duration.ofSeconds(1), Duration.ofMinutes(1));
  static final int SEGMENT_HEADER = 64;
  static final int BATCH_HEADER = 28;
  static final int CHUNK = 64 * 1024;

  @TempDir Path dir;

  /** {@code shift}: where the second batch's header starts, relative to the first chunk's end. */
  @ParameterizedTest(name = "the next header starts {0} bytes from the end of the first chunk")
  @ValueSource(ints = {-27, -11, -1, 0, 1})
  void aRepairFindsTheIntactBatchAfterADamagedOneWhereverTheChunksCutItsHeader(int shift) throws Exception {
    int searchFrom = SEGMENT_HEADER + 1;
    int nextHeader = searchFrom + CHUNK + shift;
    int wanted = nextHeader - SEGMENT_HEADER;
    int body = wanted - 200;
    Path home = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      home = Files.createDirectory(dir.resolve(shift + "-" + attempt),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      int length = fill(home, body);
      if (length == wanted) {
        break;
      }
      body += wanted - length;
      home = null;
    }
    assertThat(home).as("a first batch of exactly %d bytes", wanted).isNotNull();

    Path seg = segment(home);
    byte[] content = Files.readAllBytes(seg);
    content[SEGMENT_HEADER + BATCH_HEADER + 100] ^= 0x20; // inside the first batch's sealed body
    Files.write(seg, content);
    try (Vault vault = Vault.open(home.resolve("agent.db"), OutboxFixture.key(), new SecureRandom())) {
      OutboxRepair.Report report = OutboxRepair.run(vault, SETTINGS);
      assertThat(report.findings()).singleElement().asString().contains("fails authentication")
          .contains("the records in bytes " + SEGMENT_HEADER + " to " + nextHeader + " are lost");
      assertThat(report.queued()).isEqualTo(2);
    }
  }

  /** Queues one record of {@code body} bytes, then two small ones; returns the first batch's length. */
  private static int fill(Path home, int body) throws Exception {
    OutboxFixture f = new OutboxFixture(home, SETTINGS);
    f.outbox.enqueue(OutboxFixture.webhook("https://example.test/big", "x".repeat(body)));
    f.outbox.enqueue(OutboxFixture.webhook("https://example.test/a", "{}"));
    f.outbox.enqueue(OutboxFixture.webhook("https://example.test/b", "{}"));
    f.close();
    byte[] content = Files.readAllBytes(segment(home));
    return BATCH_HEADER + ByteBuffer.wrap(content, SEGMENT_HEADER + 20, 4).getInt();
  }

  private static Path segment(Path home) throws Exception {
    try (var s = Files.list(home.resolve("outbox"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
  }
}
