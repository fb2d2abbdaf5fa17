package dev.holdfast.agent.outbox.log;

/**
 * The log is damaged in a way a crash cannot explain: a segment missing, a batch that fails
 * authentication with intact ones behind it, a tail lost after a clean stop. The message names
 * the file, says what is lost and what to do; nothing was changed on disk.
 */
public final class LogDamage extends Exception {
  private static final long serialVersionUID = 1L;

  public LogDamage(String message) {
    super(message);
  }
}
