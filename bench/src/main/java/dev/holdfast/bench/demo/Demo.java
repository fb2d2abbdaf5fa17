package dev.holdfast.bench.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code java -jar holdfast-bench.jar demo [--keep] [--dir DIR] [--messages N]}: tells the fleet
 * story ({@link DemoStory}) in a temporary directory, then removes every process and file it made,
 * also on Ctrl-C. Exit 0 when every step was checked, 1 naming the failed step, 64 for bad options.
 */
public final class Demo {
  static final int DEFAULT_MESSAGES = 6;

  private Demo() {}

  /** The options; {@code dir} null for a new temporary directory. */
  record Options(boolean keep, Path dir, int messages) {}

  public static void run(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.println("usage: demo [--keep] [--dir DIR] [--messages N]  (N SMS per device during the outage, 1-8)");
      System.exit(64);
      return;
    }
    // A backstop for a stop that lands before the story holds its processes (e.g. Ctrl-C during init).
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly), "demo-children"));
    System.exit(tell(options, System.out));
  }

  static Options parse(String[] args) {
    boolean keep = false;
    Path dir = null;
    int messages = DEFAULT_MESSAGES;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--keep" -> keep = true;
        case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
        case "--messages" -> messages = messages(value(args, ++i, "--messages"));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new Options(keep, dir, messages);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int messages(String text) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= 8) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    // 8: one more after the restart makes 10 per device, the relay's default burst per API key
    throw new IllegalArgumentException("--messages must be a whole number from 1 to 8, not " + text);
  }

  /**
   * Tells the story and cleans up (now, or on Ctrl-C with {@code --keep}); returns the exit code.
   * The story's processes and directory are also removed by a shutdown hook if the JVM is stopped.
   */
  static int tell(Options options, PrintStream out) throws IOException, InterruptedException {
    Path dir = options.dir() != null ? Files.createDirectories(options.dir()) : Files.createTempDirectory("holdfast-demo-");
    Narrator say = new Narrator(out);
    DemoStory story = new DemoStory(dir.toAbsolutePath(), say, options.messages());
    AtomicBoolean cleaned = new AtomicBoolean();
    Runnable cleanup = () -> {
      if (cleaned.compareAndSet(false, true)) {
        story.close();
        deleteTree(dir);
      }
    };
    Thread hook = new Thread(cleanup, "demo-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    say.say("the fleet story, in " + dir + (options.keep() ? "" : " (removed at the end)"));
    try {
      int code;
      try {
        story.tell();
        say.say("every step checked: the demo passed");
        code = 0;
      } catch (DemoFailure f) {
        say.say("FAILED: " + f.getMessage());
        if (!options.keep()) {
          say.plain("          (run with --keep to look at the logs: agents/*/agent.log, provisioning/serve.log, broker/)");
        }
        code = 1;
      } catch (RuntimeException | Error e) {
        say.say("FAILED: unexpected " + e);
        code = 1;
      }
      if (options.keep()) {
        Keep.holdOpen(story);
      }
      return code;
    } finally {
      cleanup.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("demo: could not remove all of " + dir + ": " + e.getMessage());
    }
  }
}
