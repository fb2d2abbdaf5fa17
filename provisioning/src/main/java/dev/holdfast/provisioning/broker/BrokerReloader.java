package dev.holdfast.provisioning.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Makes Mosquitto re-read its CRL and ACL: {@code kill -HUP} the pid in its pid file. Any failure
 * (no pid file, an unreadable one, a signal that is refused) is a {@link BrokerReloadException}: a
 * running broker would keep the old CRL and ACL, so a revoked device would still get in.
 */
public final class BrokerReloader {
  private static final long KILL_TIMEOUT_SECONDS = 10;
  private static final String TODO = "; the files are in place but the broker has not re-read them: ";
  private final Path pidFile;

  public BrokerReloader(Path pidFile) {
    this.pidFile = pidFile;
  }

  /** Sends SIGHUP to the broker. */
  public void hangup() throws BrokerReloadException {
    String text;
    try {
      text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new BrokerReloadException(BrokerReloadException.Reason.NO_PID_FILE, "no broker pid file " + pidFile + TODO
          + "start the broker ('systemctl restart mosquitto') or set broker.pid-file to its pid file");
    } catch (IOException e) {
      throw new BrokerReloadException(BrokerReloadException.Reason.BAD_PID_FILE, "cannot read the broker pid file "
          + pidFile + " (" + e.getMessage() + ")" + TODO + "let this user read it, or run 'systemctl reload mosquitto'");
    }
    if (!text.matches("[1-9][0-9]{0,9}") || text.equals("1")) {
      throw new BrokerReloadException(BrokerReloadException.Reason.BAD_PID_FILE, "the broker pid file " + pidFile
          + " does not hold a process id" + TODO + "set broker.pid-file to Mosquitto's pid file");
    }
    signal(text);
  }

  private void signal(String pid) throws BrokerReloadException {
    String failed = "kill -HUP " + pid + " (from " + pidFile + ") failed: ";
    String todo = TODO + "run this as a user allowed to signal the broker (root or its user), or "
        + "'systemctl reload mosquitto'";
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", pid).redirectErrorStream(true).start();
      if (!kill.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new BrokerReloadException(BrokerReloadException.Reason.SIGNAL_FAILED, failed + "it did not finish" + todo);
      }
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (kill.exitValue() != 0) {
        throw new BrokerReloadException(BrokerReloadException.Reason.SIGNAL_FAILED, failed + out + todo);
      }
      Logger.info("sent SIGHUP to the broker (pid {}) to re-read its CRL and ACL", pid);
    } catch (IOException e) {
      throw new BrokerReloadException(BrokerReloadException.Reason.SIGNAL_FAILED, failed + e.getMessage() + todo);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerReloadException(BrokerReloadException.Reason.SIGNAL_FAILED, failed + "interrupted" + todo);
    }
  }
}
