package dev.holdfast.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to the end and keeps what it printed (both streams, in order). */
final class Processes {
  private Processes() {}

  record Result(int code, String output) {}

  static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The project root: the nearest parent with systemd/holdfast-agent.service. */
  static Path projectRoot() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("systemd/holdfast-agent.service"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from inside the Holdfast source tree");
  }

  /** The path of an installed program, or an AssertionError saying how to install it. */
  static String require(String program, String debianPackage) {
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return dir + "/" + program;
      }
    }
    throw new AssertionError(program + " is not installed: apt-get install -y " + debianPackage
        + " (./holdfast test installs it)");
  }
}
