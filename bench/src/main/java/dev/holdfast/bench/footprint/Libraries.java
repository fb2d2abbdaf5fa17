package dev.holdfast.bench.footprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Which library a class or a jar entry belongs to, and counts by library. */
final class Libraries {
  private Libraries() {}

  /** Package prefix -> library, first match wins. */
  static final Map<String, String> BY_PREFIX = new LinkedHashMap<>();

  static {
    BY_PREFIX.put("dev/holdfast/", "Holdfast");
    BY_PREFIX.put("picocli/", "picocli");
    BY_PREFIX.put("org/mapdb/", "MapDB");
    BY_PREFIX.put("org/eclipse/collections/", "Eclipse Collections (MapDB)");
    BY_PREFIX.put("com/google/", "Guava (MapDB)");
    BY_PREFIX.put("kotlin/", "Kotlin stdlib (MapDB)");
    BY_PREFIX.put("net/jpountz/", "lz4-java (MapDB)");
    BY_PREFIX.put("org/tinylog/", "tinylog");
    BY_PREFIX.put("org/eclipse/paho/", "Eclipse Paho");
    BY_PREFIX.put("org/bouncycastle/", "Bouncy Castle");
    BY_PREFIX.put("org/jetbrains/", "JetBrains annotations (MapDB)");
    BY_PREFIX.put("org/intellij/", "JetBrains annotations (MapDB)");
    BY_PREFIX.put("java/lang/management/", "JDK: management (tinylog's start time)");
    BY_PREFIX.put("sun/management/", "JDK: management (tinylog's start time)");
    BY_PREFIX.put("com/sun/management/", "JDK: management (tinylog's start time)");
    BY_PREFIX.put("java/util/logging/", "JDK: management (tinylog's start time)");
    BY_PREFIX.put("sun/security/", "JDK: security and crypto");
    BY_PREFIX.put("java/security/", "JDK: security and crypto");
    BY_PREFIX.put("javax/crypto/", "JDK: security and crypto");
    BY_PREFIX.put("com/sun/crypto/", "JDK: security and crypto");
    BY_PREFIX.put("javax/net/", "JDK: security and crypto");
    BY_PREFIX.put("java/net/http/", "JDK: HTTP client");
    BY_PREFIX.put("jdk/internal/net/http/", "JDK: HTTP client");
    BY_PREFIX.put("java/lang/invoke/", "JDK: lambdas and method handles");
    BY_PREFIX.put("java/", "JDK: other");
    BY_PREFIX.put("javax/", "JDK: other");
    BY_PREFIX.put("jdk/", "JDK: other");
    BY_PREFIX.put("sun/", "JDK: other");
    BY_PREFIX.put("com/sun/", "JDK: other");
  }

  static String of(String slashedName) {
    for (Map.Entry<String, String> e : BY_PREFIX.entrySet()) {
      if (slashedName.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return "other";
  }

  /** A {@code -Xlog:class+load} file: loaded classes and how many came from a CDS archive, by library. */
  record Loaded(Map<String, Integer> byLibrary, Map<String, Integer> sharedByLibrary, int total, int shared) {}

  static Loaded classes(Path log) throws IOException {
    Map<String, Integer> all = new TreeMap<>();
    Map<String, Integer> shared = new TreeMap<>();
    int total = 0;
    int fromArchive = 0;
    for (String line : Files.readAllLines(log)) {
      String[] parts = line.split(" ");
      if (parts.length < 2 || !line.contains("source:")) {
        continue;
      }
      String name = parts[1].replace('.', '/');
      String library = of(name);
      all.merge(library, 1, Integer::sum);
      total++;
      if (line.contains("source: shared objects file")) {
        shared.merge(library, 1, Integer::sum);
        fromArchive++;
      }
    }
    return new Loaded(all, shared, total, fromArchive);
  }

  /** Compressed bytes of each library inside a jar (what it adds to the download and the SD card). */
  static Map<String, Long> jarBytes(Path jar) throws IOException {
    Map<String, Long> bytes = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        String name = e.getName().startsWith("META-INF/versions/")
            ? e.getName().replaceFirst("META-INF/versions/\\d+/", "") : e.getName();
        bytes.merge(e.getName().endsWith(".class") ? of(name) : "resources and metadata", e.getCompressedSize(),
            Long::sum);
      }
    }
    return bytes;
  }

  static List<String> names() {
    return BY_PREFIX.values().stream().distinct().toList();
  }
}
