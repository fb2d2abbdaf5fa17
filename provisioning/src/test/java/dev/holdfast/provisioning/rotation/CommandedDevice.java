package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.protocol.messages.StateMessage;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.ca.SerialNumbers;
import dev.holdfast.provisioning.testing.FleetBroker;
import dev.holdfast.provisioning.testing.RotatingDevice;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Received;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device of a simulated fleet, in the test's JVM over its own real MQTT connection: on a signed
 * {@code rotate} command (checked against the fleet's command key, as the agent checks it) it renews
 * over its connection, reconnects with the new certificate and confirms, as the agent does. It counts
 * how many devices of its fleet are between a command and sending their confirm at once.
 */
final class CommandedDevice implements Runnable {
  /** What the devices of one fleet share. */
  static final class Fleet {
    final FleetBroker broker;
    final AtomicInteger rotating = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    Fleet(FleetBroker broker) {
      this.broker = broker;
    }
  }

  private final Fleet fleet;
  private FleetBroker.Device identity;
  private volatile MqttTestClient client;

  CommandedDevice(Fleet fleet, FleetBroker.Device identity) {
    this.fleet = fleet;
    this.identity = identity;
  }

  String id() {
    return identity.id();
  }

  /** Connects and subscribes to its commands and answers; then {@link #run} serves them. */
  CommandedDevice connect() throws Exception {
    client = subscribed(identity);
    return this;
  }

  /** Publishes its state, online, as the agent does on every connect. */
  CommandedDevice announce() throws Exception {
    StateMessage state = new StateMessage(id(), true, "test", Optional.empty(), Optional.empty(), 0,
        Optional.empty(), Optional.empty());
    if (client.publish(Topics.state(id()), state.toJson(fleet.broker.pki.clock.instant()), 1, true) >= 0x80) {
      throw new IllegalStateException("the broker refused " + id() + "'s state");
    }
    return this;
  }

  private MqttTestClient subscribed(FleetBroker.Device d) throws Exception {
    MqttTestClient c = fleet.broker.connect(d);
    if (c.subscribe(Topics.commands(d.id()), 1) >= 0x80 || c.subscribe(Topics.provisioningResponses(d.id()), 1) >= 0x80) {
      throw new IllegalStateException("the broker refused " + d.id() + "'s subscriptions");
    }
    return c;
  }

  @Override
  public void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Received r = client.next(Duration.ofMinutes(10));
        if (!r.topic().equals(Topics.commands(id()))) {
          continue;
        }
        Command command = Command.parse(r.payload());
        if (!command.type().equals(Command.ROTATE) || !command.check(fleet.broker.pki.fleet.commandSigningPublicKey(),
            id(), fleet.broker.pki.clock.instant(), Duration.ofMinutes(5)).isEmpty()) {
          continue;
        }
        // counted from the command's arrival (after the operator sent it) to just before the confirm
        // (before the operator can see it confirmed): never more than the operator has in flight
        fleet.mostAtOnce.accumulateAndGet(fleet.rotating.incrementAndGet(), Math::max);
        rotate(command.id());
      }
    } catch (AssertionError stopped) {
      // interrupted while waiting: the test is over
    } catch (Exception e) {
      fleet.failures.incrementAndGet();
      throw new IllegalStateException(id() + " failed to rotate", e);
    }
  }

  private void rotate(String commandId) throws Exception {
    RotatingDevice device = new RotatingDevice(id(), identity.keys(), fleet.broker.pki.random);
    String request = "r-" + commandId;
    RenewResponse renewed = (RenewResponse) RotationIT.ask(client, id(),
        device.renewBytes(request, fleet.broker.pki.clock.instant()));
    String serial = SerialNumbers.hex(renewed.chain().get(0).getSerialNumber());
    FleetBroker.Device next = new FleetBroker.Device(id(), device.next, new IssuedCertificate(id(), serial,
        renewed.chain()));
    client.close();
    client = subscribed(next);
    identity = next;
    fleet.rotating.decrementAndGet();
    if (!(RotationIT.ask(client, id(), device.confirmBytes(request, serial, fleet.broker.pki.clock.instant()))
        instanceof ConfirmResponse)) {
      throw new IllegalStateException(id() + "'s confirm was refused");
    }
  }

  void close() throws Exception {
    if (client.isConnected()) {
      client.close();
    }
  }
}
