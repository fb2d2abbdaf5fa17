package dev.holdfast.provisioning.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A real process standing in for the broker: a shell that writes its pid to a pid file and appends
 * a line to a marker file on every SIGHUP. Signals that arrive while one is pending merge (as they
 * do for any process), so a test that counts several waits for each before sending the next.
 */
public final class HangupRecorder implements AutoCloseable {
  public final Path pidFile;
  public final Path marker;
  private final Process process;

  public HangupRecorder(Path dir) throws IOException {
    this.pidFile = dir.resolve("broker.pid");
    this.marker = dir.resolve("hangups");
    this.process = new ProcessBuilder("sh", "-c",
        "trap 'echo hup >> \"$1\"' HUP; echo $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; "
            + "while :; do sleep 0.05; done", pidFile.toString(), marker.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile));
  }

  public long pid() {
    return process.pid();
  }

  /** How many SIGHUPs the process has handled so far. */
  public int hangups() throws IOException {
    return Files.exists(marker) ? (int) Files.readAllLines(marker, StandardCharsets.US_ASCII).stream()
        .filter(List.of("hup")::contains).count() : 0;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
