package dev.holdfast.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real unix datagram socket standing in for systemd's {@code NOTIFY_SOCKET} (the JDK cannot bind
 * one, so python3 does): the messages a process sends with sd_notify, one line each, newlines
 * inside a message shown as {@code |}. Each message comes with the time it was read.
 */
public final class NotifySocket implements AutoCloseable {
  private final Path path;
  private final Process receiver;
  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

  /** A message and {@link System#nanoTime()} when it was read. */
  public record Message(String text, long nanos) {}

  private NotifySocket(Path path, Process receiver) {
    this.path = path;
    this.receiver = receiver;
  }

  /** Binds {@code dir/notify.sock} and waits until it is bound. */
  public static NotifySocket open(Path dir) throws IOException {
    Path script = dir.resolve("notify-socket.py");
    try (InputStream in = Objects.requireNonNull(NotifySocket.class.getResourceAsStream("notify-socket.py"))) {
      Files.copy(in, script);
    }
    Path path = dir.resolve("notify.sock");
    Process p = new ProcessBuilder("python3", script.toString(), path.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    NotifySocket socket = new NotifySocket(path, p);
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    if (!"bound".equals(first)) {
      p.destroyForcibly();
      throw new IOException("the notify socket stand-in did not start (python3 installed?): " + first);
    }
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = lines.readLine()) != null; ) {
          socket.messages.add(new Message(line, System.nanoTime()));
        }
      } catch (IOException e) {
        // the receiver is gone
      }
    }, "notify-socket");
    reader.setDaemon(true);
    reader.start();
    return socket;
  }

  /** The value for {@code NOTIFY_SOCKET}. */
  public Path path() {
    return path;
  }

  /** The next message that matches, or an exception after {@code timeout}. */
  public Message next(Predicate<String> matching, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      Message m = messages.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no notification matching within " + timeout + " on " + path);
      }
      if (matching.test(m.text())) {
        return m;
      }
    }
  }

  @Override
  public void close() {
    receiver.destroyForcibly();
  }
}
