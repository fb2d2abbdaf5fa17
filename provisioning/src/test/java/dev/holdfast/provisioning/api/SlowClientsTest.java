package dev.holdfast.provisioning.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.holdfast.provisioning.testing.BenchDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send slowly, over real TLS on loopback, from another source address (127.0.0.2) than
 * the well-behaved client (127.0.0.1). The slow ones send one byte a second, far slower than the
 * configured read time; nothing here waits on wall-clock time except for the outcome.
 */
class SlowClientsTest {
  static final int SLOW_CLIENTS = 20;
  /** What a slow client would take to send its request: the tests' bounds are well under it. */
  static final Duration TRICKLE_TIME = Duration.ofSeconds(100);
  static final Duration ANSWERED_WITHIN = Duration.ofSeconds(15);

  @TempDir Path dir;
  ApiFixture f;
  InetAddress otherSource;
  final List<SSLSocket> sockets = new ArrayList<>();
  final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  final ExecutorService readers = Executors.newCachedThreadPool();

  @BeforeEach
  void setUp() throws Exception {
    f = new ApiFixture(dir);
    otherSource = InetAddress.getByName("127.0.0.2");
  }

  @AfterEach
  void tearDown() throws IOException {
    trickle.shutdownNow();
    readers.shutdownNow();
    for (SSLSocket s : sockets) {
      s.close();
    }
    f.close();
  }

  SSLSocket connectFromOtherSource() throws IOException {
    SSLSocket s = (SSLSocket) f.trust.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
        f.server.port(), otherSource, 0);
    sockets.add(s);
    return s;
  }

  /** Completes when the server closes {@code s} (end of stream or a reset). */
  CompletableFuture<Void> closedByServer(SSLSocket s) {
    return CompletableFuture.runAsync(() -> {
      try (InputStream in = s.getInputStream()) {
        while (in.read() >= 0) {
          // an answer would do too; the point is the end
        }
      } catch (IOException e) {
        // reset or TLS alert: closed as well
      }
    }, readers);
  }

  /** Sends {@code start} at once, then one byte of {@code rest} a second, as a slowloris does. */
  void sendSlowly(SSLSocket s, String start, String rest) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(start.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] trickled = rest.getBytes(StandardCharsets.US_ASCII);
    int[] next = {0};
    trickle.scheduleAtFixedRate(() -> {
      try {
        if (next[0] < trickled.length) {
          out.write(trickled[next[0]++]);
          out.flush();
        }
      } catch (IOException e) {
        // the server dropped it
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  @Test
  void moreSlowClientsThanHandlerThreadsNeitherDelayAnEnrollmentNorOutliveTheReadTimeout() throws Exception {
    f.start(new ApiLimits(Duration.ofSeconds(1), 64, 10, 30));
    String body = "x".repeat((int) TRICKLE_TIME.toSeconds());
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    for (int i = 0; i < SLOW_CLIENTS; i++) {
      SSLSocket s = connectFromOtherSource();
      s.startHandshake();
      closed.add(closedByServer(s));
      String head = "POST " + EnrollHandler.PATH + " HTTP/1.1\r\nHost: localhost\r\n";
      if (i % 2 == 0) {
        sendSlowly(s, head + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n", body);
      } else {
        sendSlowly(s, head, "X-Slow: " + "y".repeat((int) TRICKLE_TIME.toSeconds()) + "\r\n\r\n");
      }
    }
    String token = f.tokens(1).get(0);

    CompletableFuture<HttpResponse<String>> enrolled = CompletableFuture.supplyAsync(() -> {
      try {
        return f.enroll(new BenchDevice(f.pki.random), token);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, readers);

    await().atMost(ANSWERED_WITHIN).until(enrolled::isDone);
    assertThat(enrolled.get().statusCode()).as(enrolled.get().body()).isEqualTo(200);
    await().atMost(ANSWERED_WITHIN).until(() -> closed.stream().allMatch(CompletableFuture::isDone));
  }

  @Test
  void oneSourceGetsNoMoreConnectionsThanItsLimitAndOthersAreStillServed() throws Exception {
    f.start(new ApiLimits(Duration.ofSeconds(30), 4, 10, 30));
    for (int i = 0; i < 4; i++) {
      connectFromOtherSource().startHandshake();
    }

    SSLSocket fifth = connectFromOtherSource();
    fifth.setSoTimeout((int) ANSWERED_WITHIN.toMillis());
    assertThatThrownBy(() -> {
      fifth.startHandshake();
      fifth.getInputStream().read();
    }).as("closed by the server, not left open").isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
    assertThat(f.enroll(new BenchDevice(f.pki.random), f.tokens(1).get(0)).statusCode()).isEqualTo(200);

    sockets.get(0).close();
    await().atMost(ANSWERED_WITHIN).ignoreExceptions().until(() -> {
      connectFromOtherSource().startHandshake();
      return true;
    });
  }
}
