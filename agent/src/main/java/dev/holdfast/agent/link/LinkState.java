package dev.holdfast.agent.link;

/** Where the link is; each change is logged once. */
public enum LinkState {
  /** Created, not started. */
  NEW,
  /** A CONNECT is under way. */
  CONNECTING,
  /** Connected: state published, commands subscribed. */
  CONNECTED,
  /** The last attempt failed or the connection dropped; the next attempt is scheduled. */
  WAITING,
  /** Stopped for good (offline state published when it could be). */
  STOPPED
}
