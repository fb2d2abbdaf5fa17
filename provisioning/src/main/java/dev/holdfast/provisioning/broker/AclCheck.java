package dev.holdfast.provisioning.broker;

import java.util.List;
import java.util.Set;

/**
 * Checks an ACL before it may replace the broker's: Mosquitto 2.0.11 runs with NO access control
 * when the file it re-reads at SIGHUP has an invalid line. Stricter than Mosquitto: every line is a
 * comment, blank, {@code user NAME}, {@code topic ACCESS TOPIC} or {@code pattern ACCESS TOPIC}.
 */
public final class AclCheck {
  private static final Set<String> ACCESS = Set.of("read", "write", "readwrite", "deny");

  private AclCheck() {}

  /** Thrown for the first bad line; the message names its number and what is wrong. */
  public static final class InvalidAclException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidAclException(String message) {
      super(message);
    }
  }

  public static void check(String text) throws InvalidAclException {
    if (text.isEmpty() || text.indexOf('\0') >= 0 || text.indexOf('\r') >= 0) {
      throw new InvalidAclException("the ACL is empty or holds NUL or CR characters");
    }
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String problem = problem(lines.get(i));
      if (problem != null) {
        throw new InvalidAclException("ACL line " + (i + 1) + " '" + lines.get(i) + "': " + problem);
      }
    }
  }

  /** What is wrong with one line, or null. */
  static String problem(String line) {
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    String[] w = line.split(" ", -1);
    return switch (w[0]) {
      case "user" -> w.length == 2 && !w[1].isEmpty() && w[1].chars().noneMatch(Character::isWhitespace)
          ? null : "expected 'user NAME'";
      case "topic", "pattern" -> w.length != 3 ? "expected '" + w[0] + " read|write|readwrite|deny TOPIC'"
          : !ACCESS.contains(w[1]) ? "access must be read, write, readwrite or deny"
          : topicProblem(w[2]);
      default -> "not a user, topic or pattern line";
    };
  }

  private static String topicProblem(String topic) {
    if (topic.isEmpty() || topic.chars().anyMatch(Character::isWhitespace)) {
      return "empty topic or whitespace in it";
    }
    String[] levels = topic.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String l = levels[i];
      if ((l.contains("+") && !l.equals("+")) || (l.contains("#") && (!l.equals("#") || i != levels.length - 1))) {
        return "'+' must be a whole level and '#' the whole last level";
      }
    }
    return null;
  }
}
