package dev.holdfast.bench.support;

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
 * A results file under {@code docs/benchmarks/} shared by several benchmarks: each owns one
 * section between {@code <!-- begin NAME -->} and {@code <!-- end NAME -->} markers and replaces only
 * that, so running one keeps the others' last results. Written to a temp file, then renamed.
 */
public final class SectionedReport {
  private final Path file;
  private final String header;

  /** @param header the file's first lines, used when the file does not exist yet */
  public SectionedReport(Path file, String header) {
    this.file = file;
    this.header = header;
  }

  public Path file() {
    return file;
  }

  /** The same report written to another file (tests). */
  public SectionedReport at(Path other) {
    return new SectionedReport(other, header);
  }

  public void writeSection(String name, String markdown) throws IOException {
    String begin = "<!-- begin " + name + " -->\n";
    String end = "<!-- end " + name + " -->\n";
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : header;
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

  /** Where and on what a figure was measured: date, host, CPUs, OS, JVM and heap. */
  public static String machine() {
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

  /** A figure with as many digits as it deserves: 1234, 56.7, 0.89. */
  public static String number(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }
}
