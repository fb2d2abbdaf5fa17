package dev.holdfast.bench.footprint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;

/** JVM processes as the package runs them: the shipped flags, the hello-world baseline, RSS and NMT readings. */
final class Jvm {
  private Jvm() {}

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String jcmd() {
    return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
  }

  /** The flags /usr/bin/holdfast-agent runs with (packaging/deb/agent/jvm.flags). */
  static List<String> shippedFlags(Path root) throws IOException {
    return Arrays.asList(Files.readString(root.resolve("packaging/deb/agent/jvm.flags")).strip().split("\\s+"));
  }

  /**
   * The flags build-cds-archive found this JVM accepts, written beside {@code archive} (its name with
   * .flags for .jsa); /usr/bin/holdfast-agent adds them to the shipped ones.
   */
  static List<String> acceptedOptionalFlags(Path archive) throws IOException {
    Path file = archive.resolveSibling(archive.getFileName().toString().replaceFirst("\\.jsa$", ".flags"));
    String text = Files.readString(file).strip();
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
  }

  /** Compiles the baseline: prints a line, then waits for standard input to close (or exits at once with "exit"). */
  static Path helloWorld(Path dir) throws IOException {
    Path src = dir.resolve("Hello.java");
    Files.writeString(src, """
        public class Hello {
          public static void main(String[] args) throws Exception {
            System.out.println("hello");
            if (args.length == 0) {
              System.in.read();
            }
          }
        }
        """);
    if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), src.toString()) != 0) {
      throw new IllegalStateException("could not compile the hello-world baseline");
    }
    return dir;
  }

  /** VmRSS, RssAnon and RssFile of a process, in KiB. */
  record Rss(long total, long anon, long file) {
    static Rss of(long pid) throws IOException {
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      return new Rss(kib(status, "VmRSS"), kib(status, "RssAnon"), kib(status, "RssFile"));
    }

    private static long kib(String status, String key) {
      Matcher m = Pattern.compile("(?m)^" + key + ":\\s+(\\d+) kB").matcher(status);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
  }

  /** NMT's committed KiB by category ({@code jcmd PID VM.native_memory summary}). */
  static Map<String, Long> nmt(long pid) throws IOException, InterruptedException {
    String out = run(List.of(jcmd(), Long.toString(pid), "VM.native_memory", "summary"));
    Map<String, Long> committed = new java.util.LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(out);
    while (m.find()) {
      committed.put(m.group(1).strip(), Long.parseLong(m.group(2)));
    }
    Matcher total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(out);
    if (total.find()) {
      committed.put("Total", Long.parseLong(total.group(1)));
    }
    return committed;
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  static List<String> command(List<String> flags, String... rest) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(flags);
    cmd.addAll(List.of(rest));
    return cmd;
  }
}
