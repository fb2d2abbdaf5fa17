package dev.holdfast.provisioning.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Makes Mosquitto re-read its CRL and ACL: {@code kill -HUP} the pid in its pid file. A missing pid
 * file (no broker on this machine, or not running) is a warning, not a failure: the CRL (or ACL) is
 * already in place and a broker that starts later reads it.
 */
public final class BrokerReloader {
  private static final long KILL_TIMEOUT_SECONDS = 10;
  private final Path pidFile;

  public BrokerReloader(Path pidFile) {
    this.pidFile = pidFile;
  }

  /** Sends SIGHUP to the broker; true when it was sent. */
  public boolean hangup() {
    String text;
    try {
      text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      Logger.warn("no broker pid file {}: the broker was not told to re-read its CRL and ACL "
          + "(set broker.pid-file, or run 'systemctl reload mosquitto')", pidFile);
      return false;
    } catch (IOException e) {
      Logger.warn("cannot read the broker pid file {}: {}; the broker was not told to re-read its CRL and ACL", pidFile,
          e.getMessage());
      return false;
    }
    if (!text.matches("[1-9][0-9]{0,9}") || text.equals("1")) {
      Logger.warn("the broker pid file {} does not hold a process id; the broker was not told to re-read its CRL and ACL",
          pidFile);
      return false;
    }
    return signal(text);
  }

  private boolean signal(String pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", pid).redirectErrorStream(true).start();
      if (!kill.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        Logger.warn("kill -HUP {} did not finish; the broker may not have re-read its CRL and ACL", pid);
        return false;
      }
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (kill.exitValue() != 0) {
        Logger.warn("kill -HUP {} failed ({}); the broker did not re-read its CRL and ACL: run the service as a user "
            + "allowed to signal it, or 'systemctl reload mosquitto'", pid, out);
        return false;
      }
      Logger.info("sent SIGHUP to the broker (pid {}) to re-read its CRL and ACL", pid);
      return true;
    } catch (IOException e) {
      Logger.warn("cannot run kill: {}; the broker did not re-read its CRL and ACL", e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
