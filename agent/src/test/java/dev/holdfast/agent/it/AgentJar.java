package dev.holdfast.agent.it;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged agent/target/holdfast-agent.jar as a real process. */
final class AgentJar {
  static final Path JAR = Path.of("target", "holdfast-agent.jar").toAbsolutePath();

  private AgentJar() {}

  record Run(int code, String out, String err) {}

  /** {@code args} followed by {@code where} (the options naming the configuration, data and key). */
  static String[] with(String[] where, String... args) {
    String[] all = new String[args.length + where.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(where, 0, all, args.length, where.length);
    return all;
  }

  static ProcessBuilder builder(Path workDir, String... args) {
    return builder(workDir, List.of(), args);
  }

  /** With options for the JVM (a heap limit, a GC log) before {@code -jar}. */
  static ProcessBuilder builder(Path workDir, List<String> jvmOptions, String... args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing; run 'mvn package' first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().remove("CREDENTIALS_DIRECTORY");
    pb.environment().remove("HOLDFAST_PASSPHRASE");
    return pb;
  }

  /**
   * Makes {@code store.key} in {@code workDir} and a new vault where {@code where} points, through
   * the jar's own {@code vault keygen} and {@code vault init}; fails with their output otherwise.
   */
  static void newVault(Path workDir, String... where) throws Exception {
    for (String[] args : List.of(new String[] {"vault", "keygen", "--out", "store.key"}, with(where, "vault", "init"))) {
      Run r = run(workDir, "", args);
      if (r.code() != 0) {
        throw new IllegalStateException(String.join(" ", args) + " exited " + r.code() + ": " + r.err());
      }
    }
  }

  static Run run(Path workDir, String stdin, String... args) throws Exception {
    Process p = builder(workDir, args).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
    errReader.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("holdfast-agent did not finish: " + String.join(" ", args));
    }
    errReader.join();
    return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (java.io.IOException ignored) {
      // the process is gone
    }
  }
}
