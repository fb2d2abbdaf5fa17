package dev.holdfast.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.bench.faults.StraceTrace.Event;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.Producer;
import dev.holdfast.bench.support.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable means fsynced, not merely written (the page cache survives kill -9; a power cut does
 * not). The agent runs under strace; a producer sends one message at a time; the trace must show
 * an fsync or fdatasync that completed after each request was read and before its acknowledgement
 * was written back on the socket.
 */
class OutboxFsyncIT {
  static final int MESSAGES = 40;

  @TempDir Path home;

  @Test
  void everyAcknowledgementIsWrittenOnlyAfterAnFsyncThatFollowedItsRequest() throws Exception {
    Path trace = home.resolve("strace.txt");
    List<String> strace = List.of("/usr/bin/strace", "-f", "--seccomp-bpf", "-tt", "-yy", "-s", "200",
        "-e", "trace=fsync,fdatasync,read,write,recvfrom,sendto,sendmsg", "-o", trace.toString());
    try (RecordingSink sink = new RecordingSink(); AgentProcess agent = AgentProcess.create(home.resolve("agent"),
        List.of("log.level = warn", "outbox.retry.base = 10m", "outbox.retry.cap = 10m"), strace)) {
      agent.start();
      String url = sink.uri("/hook").toString();
      // First the receiver refuses the credentials: the webhook channel is held for 10 minutes, so
      // no delivery commit can land between a request and its acknowledgement below.
      sink.mode(RecordingSink.Mode.UNAUTHORIZED);
      try (Producer p = new Producer(agent.socket())) {
        assertThat(p.send(Producer.webhook(url, "warm-up", "{}"))).isEqualTo(Producer.Outcome.ACKED);
        await().atMost(Duration.ofMinutes(1)).until(() -> sink.requests() == 1 && held(agent));
        for (int i = 0; i < MESSAGES; i++) {
          assertThat(p.send(Producer.webhook(url, "fsync-" + i, "{\"i\":" + i + "}")))
              .isEqualTo(Producer.Outcome.ACKED);
        }
      }
      assertThat(sink.requests()).as("no delivery attempt during the sends").isEqualTo(1);
      ProcessHandle.of(agent.pid()).orElseThrow().children().forEach(ProcessHandle::destroy); // SIGTERM the JVM
      assertThat(ProcessHandle.of(agent.pid()).orElseThrow().onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    List<Event> events = StraceTrace.events(Files.readAllLines(trace), home.resolve("agent").resolve("data").toString());
    events = events.subList(events.indexOf(Event.ACK) + 1, events.size()); // after the warm-up
    assertThat(events.stream().filter(e -> e == Event.REQUEST)).hasSize(MESSAGES);
    assertThat(events.stream().filter(e -> e == Event.ACK)).hasSize(MESSAGES);
    boolean synced = false;
    int acks = 0;
    for (Event e : events) {
      switch (e) {
        case REQUEST -> synced = false;
        case SYNC -> synced = true;
        case ACK -> {
          assertThat(synced).as("acknowledgement %d was written before any fsync after its request", acks).isTrue();
          acks++;
        }
        default -> throw new IllegalStateException();
      }
    }
    assertThat(events.stream().filter(e -> e == Event.SYNC).count()).isGreaterThanOrEqualTo(MESSAGES);
  }

  private static boolean held(AgentProcess agent) {
    return Producer.ask(agent.socket(), java.util.Map.of("op", "status")).orElseThrow().toString()
        .contains("credentials_rejected_until=2");
  }
}
