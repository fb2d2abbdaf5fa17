package dev.holdfast.bench.rotation;

import dev.holdfast.testkit.Received;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttConnect;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttSubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttSubscribe;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;

/**
 * One simulated device's MQTT v5 connection: one TLS socket, written and read on the caller's
 * thread, with Paho's packet classes for the bytes. Paho's client starts five threads per connection
 * and hands every packet between three of them; with a thousand devices reconnecting, those thread
 * starts and handoffs were a third of this machine's CPU, spent by the load and not by the service
 * under test (docs/decisions.md). It speaks what a rotating device needs: CONNECT with a client
 * certificate, one SUBSCRIBE, PUBLISH at QoS 1 both ways (every message received is acknowledged),
 * and dropping the connection. Not thread-safe: one device's thread uses it at a time.
 */
final class FleetClient implements AutoCloseable {
  /** Long enough that no connection of a benchmark run needs a ping. */
  static final int KEEP_ALIVE_SECONDS = 3600;
  /** The longest {@link #connect} waits for the broker's answers. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ArrayDeque<Received> arrived = new ArrayDeque<>();
  private int lastId;

  private FleetClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects as {@code clientId} over {@code tls} (which presents the device's certificate) and
   * subscribes to {@code topics} at QoS 1; throws with the broker's reason code when it refuses the
   * connection or a subscription.
   */
  static FleetClient connect(URI broker, String clientId, SSLSocketFactory tls, List<String> topics)
      throws IOException {
    SSLSocket socket = (SSLSocket) tls.createSocket(broker.getHost(), broker.getPort());
    FleetClient c = new FleetClient(socket);
    try {
      socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
      socket.startHandshake();
      c.send(new MqttConnect(clientId, 5, true, KEEP_ALIVE_SECONDS, new MqttProperties(), new MqttProperties()));
      if (!(c.read() instanceof MqttConnAck ack)) {
        throw new IOException("the broker did not answer " + clientId + "'s CONNECT with a CONNACK");
      }
      if (ack.getReturnCode() != 0) {
        throw new IOException(String.format("the broker refused %s's connection: reason 0x%02x", clientId,
            ack.getReturnCode()));
      }
      MqttSubscription[] subscriptions = topics.stream().map(t -> new MqttSubscription(t, 1))
          .toArray(MqttSubscription[]::new);
      MqttSubscribe subscribe = new MqttSubscribe(subscriptions, new MqttProperties());
      subscribe.setMessageId(c.nextId());
      c.send(subscribe);
      if (!(c.read() instanceof MqttSubAck granted)) {
        throw new IOException("the broker did not answer " + clientId + "'s SUBSCRIBE with a SUBACK");
      }
      for (int i = 0; i < topics.size(); i++) {
        if (granted.getReturnCodes()[i] >= 0x80) {
          throw new IOException(String.format("the broker refused %s's subscription to %s: reason 0x%02x",
              clientId, topics.get(i), granted.getReturnCodes()[i]));
        }
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Publishes {@code payload} at QoS 1 with {@code properties} and returns the PUBACK's reason code
   * (0x87 = not authorized); messages that arrive meanwhile are kept for {@link #next}.
   */
  int publish(String topic, byte[] payload, MqttProperties properties, Duration timeout) throws IOException {
    MqttPublish publish = new MqttPublish(topic, new MqttMessage(payload, 1, false, properties), properties);
    int id = nextId();
    publish.setMessageId(id);
    send(publish);
    socket.setSoTimeout(millis(timeout));
    while (true) {
      MqttWireMessage m = read();
      if (m instanceof MqttPubAck ack && ack.getMessageId() == id) {
        return ack.getReturnCode();
      }
      keep(m);
    }
  }

  /** The next message received (acknowledged already), waiting at most {@code timeout}. */
  Received next(Duration timeout) throws IOException {
    socket.setSoTimeout(millis(timeout));
    while (arrived.isEmpty()) {
      try {
        keep(read());
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException("no message within " + timeout);
      }
    }
    return arrived.poll();
  }

  /** Drops the connection without DISCONNECT, as a device's link does when it switches identity. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // the connection is gone either way
    }
  }

  private void keep(MqttWireMessage m) throws IOException {
    if (!(m instanceof MqttPublish p)) {
      throw new IOException("unexpected packet from the broker: " + m.getClass().getSimpleName());
    }
    MqttMessage message = p.getMessage();
    if (message.getQos() == 1) {
      try {
        send(new MqttPubAck(0, p.getMessageId(), new MqttProperties()));
      } catch (MqttException e) {
        throw new IOException("cannot acknowledge message " + p.getMessageId(), e);
      }
    }
    arrived.add(new Received(p.getTopicName(), message.getPayload(), message.getQos(), message.isRetained(),
        p.getProperties()));
  }

  private int nextId() {
    lastId = lastId % 65535 + 1;
    return lastId;
  }

  private void send(MqttWireMessage m) throws IOException {
    try {
      out.write(m.serialize());
      out.flush();
    } catch (MqttException e) {
      throw new IOException("cannot encode " + m.getClass().getSimpleName(), e);
    }
  }

  /** One whole packet: the fixed header's first byte, its Remaining Length, then that many bytes. */
  private MqttWireMessage read() throws IOException {
    byte[] header = new byte[5];
    header[0] = (byte) readByte();
    int length = 0;
    int n = 1;
    int digit;
    do {
      if (n == 5) {
        throw new IOException("malformed Remaining Length from the broker");
      }
      digit = readByte();
      header[n++] = (byte) digit;
      length |= (digit & 0x7f) << (7 * (n - 2));
    } while ((digit & 0x80) != 0);
    byte[] packet = new byte[n + length];
    System.arraycopy(header, 0, packet, 0, n);
    int off = n;
    while (off < packet.length) {
      int r = in.read(packet, off, packet.length - off);
      if (r < 0) {
        throw new EOFException("the broker closed the connection within a packet");
      }
      off += r;
    }
    try {
      return MqttWireMessage.createWireMessage(packet);
    } catch (MqttException e) {
      throw new IOException("cannot decode a packet from the broker", e);
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the broker closed the connection");
    }
    return b;
  }

  private static int millis(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
  }
}
