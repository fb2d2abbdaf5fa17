package dev.holdfast.agent.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Asks each part of the agent to answer within a deadline: a probe is a task the part's own thread
 * runs (the dispatcher's scheduler, the link's thread) or a call that takes the part's lock (the
 * outbox's status). A part whose previous probe never completed is not asked again: it counts as
 * stuck, and a hung thread costs no more than one waiting probe.
 */
public final class Liveness {
  private final Map<String, Supplier<CompletableFuture<?>>> probes;
  private final Map<String, CompletableFuture<?>> pending = new HashMap<>();

  /** @param probes by the name a person reads ("dispatcher", "mqtt link", "outbox") */
  public Liveness(Map<String, Supplier<CompletableFuture<?>>> probes) {
    this.probes = new LinkedHashMap<>(probes);
  }

  /** The names of the parts that did not answer within {@code deadline}; empty when all did. */
  public synchronized List<String> stuck(Duration deadline) {
    Map<String, CompletableFuture<?>> asked = new LinkedHashMap<>();
    probes.forEach((name, probe) -> {
      CompletableFuture<?> previous = pending.get(name);
      asked.put(name, previous != null && !previous.isDone() ? previous : start(probe));
    });
    try {
      CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
          .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // sorted out below, probe by probe
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> stuck = new ArrayList<>();
    asked.forEach((name, answer) -> {
      if (answer.isDone()) {
        pending.remove(name);
        if (answer.isCompletedExceptionally()) {
          stuck.add(name);
        }
      } else {
        pending.put(name, answer);
        stuck.add(name);
      }
    });
    return stuck;
  }

  private static CompletableFuture<?> start(Supplier<CompletableFuture<?>> probe) {
    try {
      return probe.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
