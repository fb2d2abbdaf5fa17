package dev.holdfast.agent.testing;

import dev.holdfast.protocol.json.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The committed fixture of a vault written by the agent before the outbox moved to its segment
 * log (test resource {@code fixtures/vault-main-2026-12}, see its README): copied to a directory,
 * with its test key, and the records it holds as {@code outbox show --json} printed them then.
 */
public final class LegacyFixture {
  private static final String ROOT = "/fixtures/vault-main-2026-12/";

  public final Path dataDir;
  public final Path keyFile;

  private LegacyFixture(Path dataDir, Path keyFile) {
    this.dataDir = dataDir;
    this.keyFile = keyFile;
  }

  /** Copies the fixture into {@code home}: {@code home/data/} and {@code home/test-vault.key} (0600). */
  public static LegacyFixture copyTo(Path home) throws IOException {
    Path data = home.resolve("data");
    dev.holdfast.vault.SecureFiles.createPrivateDirectories(data); // a data directory: the owner's alone
    for (String f : List.of("agent.db", "agent.db.journal-0", "agent.db.journal-1")) {
      Files.copy(resource("data/" + f), data.resolve(f));
    }
    Path key = home.resolve("test-vault.key");
    Files.copy(resource("test-vault.key"), key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return new LegacyFixture(data, key);
  }

  /** The records the fixture holds (queued and dead), each as {@code outbox show --json} printed it. */
  public static List<Map<String, Object>> expectedRecords() throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : Files.readAllLines(resource("expected-records.jsonl"))) {
      if (!line.isBlank()) {
        try {
          out.add(JsonParser.parseObject(line));
        } catch (JsonParser.JsonException e) {
          throw new IOException("expected-records.jsonl: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  private static Path resource(String name) throws IOException {
    try {
      var url = LegacyFixture.class.getResource(ROOT + name);
      if (url == null) {
        throw new IOException("test resource " + ROOT + name + " is missing");
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
