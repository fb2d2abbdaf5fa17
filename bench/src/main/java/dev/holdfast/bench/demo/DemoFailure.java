package dev.holdfast.bench.demo;

/** A step of the story whose outcome was not what the story claims; names the step and why. */
public final class DemoFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final String step;

  public DemoFailure(String step, String reason, Throwable cause) {
    super("step " + step + " failed: " + reason, cause);
    this.step = step;
  }

  public DemoFailure(String step, String reason) {
    this(step, reason, null);
  }

  public String step() {
    return step;
  }
}
