package dev.holdfast.agent.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Talks to systemd through {@code systemd-notify}: the JDK has no unix datagram socket, and the
 * notification socket is one. The unit says {@code NotifyAccess=all} so a child may speak for the
 * agent; systemd-notify (systemd 246 and later) waits until the manager has read the message, so
 * it is never dropped because its sender already exited (docs/decisions.md).
 */
final class SystemdNotify implements ServiceManager {
  static final String EXECUTABLE = "systemd-notify";
  private static final long WAIT_SECONDS = 10;

  private final String executable;
  private boolean warned;

  SystemdNotify(String executable) {
    this.executable = executable;
  }

  @Override
  public synchronized void notify(List<String> assignments) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(assignments);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
      p.getOutputStream().close();
      if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        warnOnce(executable + " did not finish within " + WAIT_SECONDS + " s");
        return;
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        warnOnce(executable + " exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
      }
    } catch (IOException e) {
      warnOnce("cannot run " + executable + " (" + e.getMessage() + "); install systemd, or run the agent without "
          + "Type=notify");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void warnOnce(String message) {
    if (!warned) {
      warned = true;
      Logger.warn("could not notify systemd: {} (said once; readiness and watchdog pings may be missing)", message);
    } else {
      Logger.debug("could not notify systemd: {}", message);
    }
  }
}
