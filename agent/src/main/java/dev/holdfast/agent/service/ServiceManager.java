package dev.holdfast.agent.service;

import java.util.List;
import java.util.Map;

/** Where readiness, watchdog pings and the status line go: systemd, or nowhere. */
public interface ServiceManager {
  /** Sends {@code KEY=VALUE} assignments (sd_notify(3)); never throws. */
  void notify(List<String> assignments);

  /** Whether anybody listens: with no manager, nothing is sent. */
  default boolean present() {
    return true;
  }

  ServiceManager NONE = new ServiceManager() {
    @Override
    public void notify(List<String> assignments) {}

    @Override
    public boolean present() {
      return false;
    }
  };

  /** systemd when it gave us a notification socket ({@code NOTIFY_SOCKET}), else {@link #NONE}. */
  static ServiceManager fromEnvironment(Map<String, String> env) {
    String socket = env.get("NOTIFY_SOCKET");
    return socket == null || socket.isBlank() ? NONE : new SystemdNotify(SystemdNotify.EXECUTABLE);
  }
}
