package dev.holdfast.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.bench.faults.StraceTrace.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class StraceTraceTest {
  static final String DATA = "/tmp/h/agent/data";
  static final String SOCK = "<UNIX-STREAM:[100->101,/tmp/h/agent/agent.sock]>";
  static final String REQUEST = "\"{\\\"op\\\":\\\"send\\\",\\\"channel\\\":\\\"webhook\\\"}\\n\", 8192) = 40";
  static final String ACK = "\"{\\\"ok\\\":true,\\\"id\\\":\\\"01\\\"}\\n\", 24";

  @Test
  void readsRequestsSyncsOfTheDataDirectoryAndAcknowledgementsInOrder() {
    List<String> trace = List.of(
        "11 10:00:00.000001 read(7" + SOCK + ", " + REQUEST,
        "12 10:00:00.000002 fsync(9<" + DATA + "/vault.db>) = 0",
        "11 10:00:00.000003 write(7" + SOCK + ", " + ACK + ") = 24");
    assertThat(StraceTrace.events(trace, DATA)).containsExactly(Event.REQUEST, Event.SYNC, Event.ACK);
  }

  @Test
  void joinsCallsThatAnotherThreadInterruptedByTheirThreadId() {
    List<String> trace = List.of(
        "11 10:00:00.000001 read(7" + SOCK + ",  <unfinished ...>",
        "12 10:00:00.000002 fsync(9<" + DATA + "/vault.db> <unfinished ...>",
        "11 10:00:00.000003 <... read resumed>" + REQUEST,
        "12 10:00:00.000004 <... fsync resumed>) = 0",
        "11 10:00:00.000005 write(7" + SOCK + ", " + ACK + " <unfinished ...>",
        "11 10:00:00.000006 <... write resumed>) = 24");
    assertThat(StraceTrace.events(trace, DATA)).containsExactly(Event.REQUEST, Event.SYNC, Event.ACK);
  }

  @Test
  void ignoresSyncsOfOtherFilesFailedSyncsAndWritesToOtherDescriptors() {
    List<String> trace = List.of(
        "12 10:00:00.000001 fsync(9</var/log/other.log>) = 0",
        "12 10:00:00.000002 fdatasync(9<" + DATA + "/vault.db>) = -1 ENOSPC (No space left on device)",
        "11 10:00:00.000003 write(1<pipe:[5]>, " + ACK + ") = 24");
    assertThat(StraceTrace.events(trace, DATA)).isEmpty();
  }
}
