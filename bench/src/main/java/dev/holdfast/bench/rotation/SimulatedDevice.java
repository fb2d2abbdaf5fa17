package dev.holdfast.bench.rotation;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.testkit.Received;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device of the simulated fleet, on its own real MQTT connection and thread: on a signed {@code
 * rotate} command (checked against the fleet's command key, as the agent checks it) it generates a
 * key, renews, drops its connection, connects with the new certificate and confirms, as the agent
 * does. Its failures are counted, never hidden.
 */
final class SimulatedDevice implements Runnable {
  private final RotationBench bench;
  private final AtomicInteger failures;
  private volatile CountDownLatch answered;
  private RotationBench.Enrolled identity;
  private volatile FleetClient client;
  private volatile boolean closed;
  private volatile long commandAt;
  private volatile long answeredAt;

  SimulatedDevice(RotationBench bench, RotationBench.Enrolled identity, AtomicInteger failures) {
    this.bench = bench;
    this.identity = identity;
    this.failures = failures;
  }

  /** From now on, {@code answered} is counted down when this device has its next confirm's answer. */
  void countAnswersOn(CountDownLatch answered) {
    this.answered = answered;
  }

  /** {@link System#nanoTime()} when this device had its confirm's answer. */
  long answeredAt() {
    return answeredAt;
  }

  /** From receiving the command to receiving the confirm's answer, as the device sees it (ms). */
  double tookMillis() {
    return (answeredAt - commandAt) / 1e6;
  }

  String id() {
    return identity.id();
  }

  /** Connects, subscribed to its commands and its answers. */
  SimulatedDevice connect() throws Exception {
    client = connected(identity);
    return this;
  }

  private FleetClient connected(RotationBench.Enrolled who) throws Exception {
    return bench.connectFleetDevice(who.id(), who.keys(), who.cert(),
        List.of(Topics.commands(who.id()), Topics.provisioningResponses(who.id())));
  }

  /** The baseline's unit: one bare request/response through the service (a request it refuses at once). */
  void askNothing() throws Exception {
    if (!(RotationBench.ask(client, id(), "{}".getBytes(StandardCharsets.UTF_8)) instanceof ProvError)) {
      throw new IllegalStateException("the baseline request of " + id() + " was not refused");
    }
  }

  /**
   * The second baseline's unit: the connection a rotation makes (the old one dropped, a TLS
   * handshake with a client certificate, CONNECT, two SUBSCRIBEs), with the current identity.
   */
  void reconnect() throws Exception {
    client.close();
    client = connected(identity);
  }

  @Override
  public void run() {
    while (!Thread.currentThread().isInterrupted()) {
      Received r;
      try {
        r = client.next(Duration.ofHours(1));
      } catch (IOException e) {
        if (!closed) {
          failures.incrementAndGet();
          System.err.println(id() + " lost its connection: " + e);
        }
        return;
      }
      if (!r.topic().equals(Topics.commands(id()))) {
        continue;
      }
      try {
        Command command = Command.parse(r.payload());
        if (command.type().equals(Command.ROTATE) && command.check(bench.fleet.commandSigningPublicKey(), id(),
            bench.clock.instant(), Duration.ofMinutes(5)).isEmpty()) {
          commandAt = System.nanoTime();
          rotate("r-" + command.id());
          answeredAt = System.nanoTime();
          answered.countDown();
        }
      } catch (Exception e) {
        if (closed || Thread.currentThread().isInterrupted()) {
          return; // the benchmark is over while this device still waited for its confirm's answer
        }
        failures.incrementAndGet();
        System.err.println(id() + " failed to rotate: " + e);
      }
    }
  }

  private void rotate(String request) throws Exception {
    KeyPair next = P256.generate(bench.random);
    RenewResponse renewed = expect(RenewResponse.class, RotationBench.ask(client, id(), RenewRequest.signed(request,
        id(), RotationBenchmark.csr(next), bench.clock.instant(), identity.keys().getPrivate(), bench.random).toJson()
        .getBytes(StandardCharsets.UTF_8)));
    String serial = renewed.chain().get(0).getSerialNumber().toString(16);
    client.close(); // as the agent's link switches identity
    identity = new RotationBench.Enrolled(id(), next, new IssuedCertificate(id(), serial, renewed.chain()));
    client = connected(identity);
    expect(ConfirmResponse.class, RotationBench.ask(client, id(), ConfirmRequest.signed(request, id(), serial,
        bench.clock.instant(), next.getPrivate(), bench.random).toJson().getBytes(StandardCharsets.UTF_8)));
  }

  static <T extends ProvAnswer> T expect(Class<T> type, ProvAnswer answer) {
    if (!type.isInstance(answer)) {
      throw new IllegalStateException("expected " + type.getSimpleName() + ", got " + answer.toJson());
    }
    return type.cast(answer);
  }

  /** Ends this device: its connection is dropped and its thread returns. */
  void close() {
    closed = true;
    if (client != null) {
      client.close();
    }
  }
}
