package dev.holdfast.bench.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes {@code docs/benchmarks/relay.md}. The relay and issue benchmarks each own one section
 * between markers and replace only theirs, so running one keeps the other's last results.
 */
final class Report {
  static final Path FILE = Path.of("docs", "benchmarks", "relay.md");
  private static final String HEADER = "# Relay and issuing benchmarks\n\n"
      + "Written by `bench/run relay` and `bench/run issue` (each replaces its own section). Ratios compare\n"
      + "figures measured in the same run on the same machine; absolute figures depend on the machine.\n";

  private Report() {}

  static String machine() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    return "- date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
        + "- machine: " + host + ", " + Runtime.getRuntime().availableProcessors() + " CPU(s), "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
        + "\n- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB\n";
  }

  static void writeSection(String name, String markdown) throws IOException {
    String begin = "<!-- begin " + name + " -->\n";
    String end = "<!-- end " + name + " -->\n";
    String text = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : HEADER;
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    String section = begin + markdown + end;
    if (from >= 0 && to > from) {
      text = text.substring(0, from) + section + text.substring(to + end.length());
    } else {
      text = text + "\n" + section;
    }
    Files.createDirectories(FILE.getParent());
    Path temp = FILE.resolveSibling(FILE.getFileName() + ".new");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, FILE, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.println("results written to " + FILE.toAbsolutePath());
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
  }
}
