package dev.holdfast.bench.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@code bench/run kill-cycles [CYCLES] [MESSAGES] [SEED]}: the kill -9 harness at full size
 * (default 50 cycles; 200 messages per cycle); writes docs/benchmarks/outbox-crash.md.
 */
public final class KillCyclesBenchmark {
  private KillCyclesBenchmark() {}

  public static void run(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
    KillHarness.Settings settings = new KillHarness.Settings(cycles, cycles * messages, 4, 8, seed);
    Path home = Files.createTempDirectory("holdfast-kill");
    KillHarness.Report r = new KillHarness(settings, System.out).run(home);
    String verdict = r.problems().isEmpty() ? "every promise held" : "FAILED: " + String.join("; ", r.problems());
    String md = String.format("""
        # Outbox under kill -9

        Written by `bench/run kill-cycles %d %d %d` on %s (%d cores, Java %s).

        The agent runs as a real JVM; 4 producers send webhooks through its socket to 8 destinations
        on a loopback sink that applies each `Idempotency-Key` once. The harness kills the agent with
        SIGKILL in each cycle at a random moment (0-150 ms after a random number of acknowledgements, up to
        all the cycle has to send, so kills land mid-enqueue, mid-commit and mid-delivery), restarts it, and
        sends again, with the same key, every message whose answer it lost. Then everything drains, and the
        agent's strict open of its outbox log and `vault verify` check what the cycles left.

        | figure | value |
        |---|---|
        | kill cycles | %d |
        | messages (acknowledged in the end) | %d |
        | delivered (distinct keys at the sink) | %d |
        | acknowledged but not delivered | %d |
        | delivered but never acknowledged | %d |
        | keys that took effect with another body or destination, or two different ones | %d |
        | raw duplicate deliveries (at-least-once, absorbed by the key) | %d |
        | `vault verify` after the last cycle | exit %d |
        | wall time | %d s |

        Result: %s.
        """, cycles, messages, seed, LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(),
        Runtime.version(), cycles, r.acked(), r.delivered(), r.lost(), r.unacknowledged(), r.altered(), r.duplicates(), r.verifyExit(),
        r.elapsed().toSeconds(), verdict);
    Path out = Path.of("docs", "benchmarks", "outbox-crash.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
    System.out.println(md);
    System.out.println("wrote " + out.toAbsolutePath());
    if (!r.problems().isEmpty()) {
      System.exit(1);
    }
  }
}
