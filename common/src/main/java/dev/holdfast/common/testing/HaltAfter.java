package dev.holdfast.common.testing;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The crash harness's hook, for both programs: told each step of a multi-step change as it is
 * passed, it halts the process right after the named one, with no shutdown hook run and nothing
 * flushed, as {@code kill -9} would stop it. Without a name it does nothing; a program takes the
 * name from a {@code holdfast.test.*} system property that only tests set.
 */
public final class HaltAfter {
  /** The exit status of a halted process: what a shell reports for kill -9. */
  public static final int STATUS = 137;

  private HaltAfter() {}

  /** A hook halting right after the step named {@code step}; one that does nothing when it is empty. */
  public static <S extends Enum<S>> Consumer<S> step(Optional<String> step) {
    if (step.isEmpty()) {
      return s -> { };
    }
    String name = step.get();
    return s -> {
      if (s.name().equals(name)) {
        Runtime.getRuntime().halt(STATUS);
      }
    };
  }
}
