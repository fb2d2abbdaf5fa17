package dev.holdfast.agent.local;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The local API's open connections, each either waiting for its next request (idle since a time)
 * or carrying one out. Bounds them two ways so idle clients cannot lock the others out: a
 * connection idle for {@code idleTimeout} is closed ({@link #closeIdle()}), and a new client when
 * all {@code max} places are taken closes the connection idle the longest. A connection that is
 * carrying out a request or writing its answer is never closed here. Thread-safe.
 */
final class Connections {
  private final int max;
  private final Duration idleTimeout;
  private final Clock clock;
  private final List<Connection> open = new ArrayList<>();

  Connections(int max, Duration idleTimeout, Clock clock) {
    this.max = max;
    this.idleTimeout = idleTimeout;
    this.clock = clock;
  }

  /** One client; idle from the moment it is admitted. */
  final class Connection {
    private final SocketChannel channel;
    /** Empty while a request is being carried out; guarded by the enclosing {@link Connections}. */
    private Optional<Instant> idleSince;
    /** The answer is being written: idle from when it was ready, but not to be closed yet. */
    private boolean answering;
    private boolean closed;

    private Connection(SocketChannel channel) {
      this.channel = channel;
      this.idleSince = Optional.of(clock.instant());
    }

    SocketChannel channel() {
      return channel;
    }

    /** A request line arrived: false if the connection was closed meanwhile (then nothing may be done). */
    boolean busy() {
      synchronized (Connections.this) {
        idleSince = Optional.empty();
        return !closed;
      }
    }

    /** The answer is ready: idle from now, though not closed before {@link #answered()}. */
    void answering() {
      synchronized (Connections.this) {
        idleSince = Optional.of(clock.instant());
        answering = true;
      }
    }

    /** The answer is written. */
    void answered() {
      synchronized (Connections.this) {
        answering = false;
      }
    }

    private boolean closable(Instant idleAtOrBefore) {
      return idleSince.isPresent() && !answering && !idleSince.get().isAfter(idleAtOrBefore);
    }

    /** The client went away or was closed: its place is free. */
    void release() {
      synchronized (Connections.this) {
        open.remove(this);
        closeQuietly();
      }
    }

    private void closeQuietly() {
      closed = true;
      try {
        channel.close(); // wakes the thread blocked reading it
      } catch (IOException e) {
        // closing: nothing more to do with it
      }
    }
  }

  /**
   * Takes in a new client, closing the longest-idle connection if every place is taken; empty when
   * every place is carrying out a request (then the caller refuses the client).
   */
  synchronized Optional<Connection> admit(SocketChannel channel) {
    if (open.size() >= max) {
      Optional<Connection> oldest = open.stream().filter(c -> c.closable(Instant.MAX))
          .min(Comparator.comparing(c -> c.idleSince.get()));
      if (oldest.isEmpty()) {
        return Optional.empty();
      }
      drop(oldest.get());
    }
    Connection c = new Connection(channel);
    open.add(c);
    return Optional.of(c);
  }

  /** Closes every connection idle for {@code idleTimeout} or longer; returns how many. */
  synchronized int closeIdle() {
    Instant cutoff = clock.instant().minus(idleTimeout);
    List<Connection> stale = open.stream().filter(c -> c.closable(cutoff)).toList();
    stale.forEach(this::drop);
    return stale.size();
  }

  synchronized int size() {
    return open.size();
  }

  synchronized void closeAll() {
    List.copyOf(open).forEach(this::drop);
  }

  private void drop(Connection c) {
    open.remove(c);
    c.closeQuietly();
  }
}
