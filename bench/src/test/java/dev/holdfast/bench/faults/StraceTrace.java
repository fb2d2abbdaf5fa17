package dev.holdfast.bench.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@code strace -f -tt -yy -s 200} trace of the agent into the events the fsync proof
 * needs, in the order they happened. A call split by another thread ({@code <unfinished ...>}
 * then {@code <... x resumed>} on the same thread id) is joined, so its descriptor is known.
 */
final class StraceTrace {
  private static final String UNFINISHED = " <unfinished ...>";
  private static final String RESUMED = " resumed>";

  /** One event of interest. */
  enum Event {
    /** A read on a unix socket returned a send request. */
    REQUEST,
    /** An fsync or fdatasync of a file in the data directory returned 0. */
    SYNC,
    /** A write of a successful send answer on a unix socket started. */
    ACK
  }

  private StraceTrace() {}

  static List<Event> events(List<String> lines, String dataDir) {
    List<Event> events = new ArrayList<>();
    Map<String, String> unfinished = new HashMap<>();
    for (String line : lines) {
      String tid = line.substring(0, Math.max(0, line.indexOf(' ')));
      if (line.endsWith(UNFINISHED)) {
        String start = line.substring(0, line.length() - UNFINISHED.length());
        unfinished.put(tid, start);
        if (isAck(start)) {
          events.add(Event.ACK); // counted when the write starts: the sync must come before it
        }
        continue;
      }
      String call = line;
      int resumed = line.indexOf(RESUMED);
      if (line.contains("<... ") && resumed > 0) {
        String start = unfinished.remove(tid);
        if (start == null || isAck(start)) {
          continue;
        }
        call = start + line.substring(resumed + RESUMED.length());
      }
      if (isAck(call)) {
        events.add(Event.ACK);
      } else if (call.matches(".* (read|recvfrom)\\(\\d+<UNIX-STREAM:.*") && call.contains("\\\"op\\\":\\\"send\\\"")) {
        events.add(Event.REQUEST);
      } else if (call.matches(".* f(data)?sync\\(\\d+<.*\\) += 0$") && call.contains("<" + dataDir + "/")) {
        events.add(Event.SYNC);
      }
    }
    return events;
  }

  private static boolean isAck(String call) {
    return call.matches(".* (write|sendto|sendmsg)\\(\\d+<UNIX-STREAM:.*")
        && call.contains("\\\"ok\\\":true,\\\"id\\\"");
  }
}
