package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarIT {
  @TempDir Path home;

  @Test
  void everyServiceTheShrunkJarDeclaresNamesAClassTheJarHolds() throws Exception {
    // a ServiceLoader that meets a missing class fails every lookup of that service, not only this one
    List<String> missing = new java.util.ArrayList<>();
    int declared = 0;
    try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(AgentJar.JAR.toFile())) {
      for (java.util.zip.ZipEntry e : java.util.Collections.list(jar.entries())) {
        if (!e.getName().startsWith("META-INF/services/") || e.isDirectory()) {
          continue;
        }
        for (String line : new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String name = line.replaceAll("#.*", "").strip();
          if (name.isEmpty()) {
            continue;
          }
          declared++;
          if (jar.getEntry(name.replace('.', '/') + ".class") == null) {
            missing.add(e.getName() + " -> " + name);
          }
        }
      }
    }
    assertThat(declared).as("services declared (tinylog, Paho, Pi4J, Eclipse Collections)").isGreaterThan(20);
    assertThat(missing).isEmpty();
  }

  @Test
  void theJarRunsOnItsOwnWithNothingElseOnTheClasspath() throws Exception {
    AgentJar.Run help = AgentJar.run(home, "", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: holdfast-agent").contains("vault").contains("secret");
    assertThat(AgentJar.run(home, "", "--version").out()).startsWith("holdfast-agent 0.1.0");
  }

  @Test
  void evenAtTraceLevelNoSecretReachesTheLogsOrAnyFileOutsideTheVaultRecords() throws Exception {
    String value = "Tw1l1o-AuthToken-9f8e7d6c5b4a";
    String name = "provider-token";
    String[] dirs = {"--data-dir", "data", "--key-file", "store.key", "--log-level", "trace"};
    StringBuilder logs = new StringBuilder();
    List<String[]> steps = List.of(
        new String[] {"vault", "keygen", "--out", "store.key"},
        new String[] {"vault", "keygen", "--out", "new.key"},
        concat(new String[] {"vault", "init"}, dirs),
        concat(new String[] {"secret", "set", name}, dirs),
        concat(new String[] {"secret", "get", name}, dirs),
        concat(new String[] {"secret", "list"}, dirs),
        concat(new String[] {"vault", "status", "--json"}, dirs),
        concat(new String[] {"vault", "verify"}, dirs),
        concat(new String[] {"vault", "rekey", "--new-key-file", "new.key"}, dirs),
        new String[] {"secret", "get", name, "--data-dir", "data", "--key-file", "new.key", "--log-level", "trace"},
        concat(new String[] {"secret", "get", name}, dirs));
    String lastGet = null;
    for (String[] step : steps) {
      AgentJar.Run r = AgentJar.run(home, value + "\n", step);
      logs.append(r.err());
      if (step[0].equals("secret") && step[1].equals("get") && r.code() == 0) {
        lastGet = r.out();
      } else {
        assertThat(r.out()).doesNotContain(value);
      }
    }
    assertThat(lastGet).as("the secret round-trips through rekey").isEqualTo(value);
    assertThat(logs).as("trace logging was on").contains("DEBUG: opened vault").contains("INFO: rekeyed");

    String storeKey = Files.readString(home.resolve("store.key")).strip();
    String newKey = Files.readString(home.resolve("new.key")).strip();
    for (String secret : List.of(value, storeKey, newKey)) {
      for (String encoded : encodings(secret)) {
        assertThat(logs.toString()).doesNotContain(encoded);
      }
    }
    try (Stream<Path> files = Files.walk(home.resolve("data"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String secret : List.of(value, name, storeKey, newKey)) {
          for (String encoded : encodings(secret)) {
            assertThat(raw).as("%s in %s", secret, f).doesNotContain(encoded);
          }
        }
      }
    }
  }

  private static List<String> encodings(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return List.of(
        s,
        new String(s.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1),
        new String(s.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1),
        Base64.getEncoder().encodeToString(utf8),
        HexFormat.of().formatHex(utf8),
        HexFormat.of().withUpperCase().formatHex(utf8),
        new String(HexFormat.of().parseHex(s.matches("[0-9a-f]{64}") ? s : "00"), StandardCharsets.ISO_8859_1))
        .stream().filter(e -> e.length() > 2).toList();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
