package dev.holdfast.bench.outbox;

import dev.holdfast.bench.support.RecordingSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/** The parameters of one {@code bench/run outbox [quick]} run. */
record Params(boolean quick, int repetitions, double seconds, int bodyBytes, int drainRecords, int lanes,
    int concurrency, int drainRounds) {
  static final String CONTENT_TYPE = "application/json";
  /** A closed loopback port: the enqueue runs' records have nowhere to go and stay queued. */
  static final String PARKED_URL = "http://127.0.0.1:9/enqueue-bench";

  static Params of(String[] args) {
    boolean quick = List.of(args).contains("quick");
    return quick ? new Params(true, 3, 1.0, 256, 10_000, 4, 4, 3) : new Params(false, 5, 3.0, 256, 10_000, 4, 4, 6);
  }

  String body() {
    StringBuilder b = new StringBuilder("{\"event\":\"door-open\",\"pad\":\"");
    while (b.length() < bodyBytes - 2) {
      b.append('x');
    }
    return b.append("\"}").toString();
  }

  /**
   * About what the outbox stores for one such record: the body, the URL, a 16-byte key and some
   * 40 bytes of fields and framing (the baselines write records of this size).
   */
  int storedRecordBytes() {
    return body().getBytes(StandardCharsets.UTF_8).length + PARKED_URL.length() + 16 + 40;
  }

  /** One URL per lane (destination) on {@code sink}. */
  List<String> laneUrls(RecordingSink sink) {
    return IntStream.range(0, lanes).mapToObj(i -> sink.uri("/lane-" + i).toString()).toList();
  }

  /** Agent configuration lines for the benchmark runs. */
  List<String> agentConfig(String retryBase, String retryCap) {
    return List.of(
        "outbox.max-records = 400000",
        "outbox.max-bytes = 1GiB",
        "outbox.concurrency = " + concurrency,
        "outbox.retry.base = " + retryBase,
        "outbox.retry.cap = " + retryCap,
        "log.level = warn");
  }
}
