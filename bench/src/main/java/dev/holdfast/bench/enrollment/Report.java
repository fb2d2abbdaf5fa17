package dev.holdfast.bench.enrollment;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Writes {@code docs/benchmarks/enrollment.md}: the enrollment-rate and the time-to-online parts
 * each own one section between markers and replace only theirs.
 */
final class Report {
  static final Path FILE = Path.of("docs", "benchmarks", "enrollment.md");
  private static final String HEADER = "# Enrollment benchmarks\n\n"
      + "Written by `bench/run enrollment` (each part replaces its own section). Ratios compare figures\n"
      + "measured in the same run on the same machine; absolute figures depend on the machine.\n";

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

  static void writeSection(Path file, String name, String markdown) throws IOException {
    String begin = "<!-- begin " + name + " -->\n";
    String end = "<!-- end " + name + " -->\n";
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : HEADER;
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    String section = begin + markdown + end;
    text = from >= 0 && to > from ? text.substring(0, from) + section + text.substring(to + end.length())
        : text + "\n" + section;
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = parent.resolve(file.getFileName() + ".new");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("results written to " + file.toAbsolutePath());
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }
}
