package dev.holdfast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A connected Paho v5 client that returns reason codes instead of hiding them and collects what it
 * receives. Every call waits at most {@link #TIMEOUT}.
 */
public final class MqttTestClient implements AutoCloseable {
  /** The longest any call here waits for the broker. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final MqttAsyncClient client;
  private final ClientSockets sockets;
  private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
  private final List<Received> all = new ArrayList<>();
  private volatile MqttDisconnectResponse disconnect;
  private volatile Throwable lost;

  private MqttTestClient(MqttAsyncClient client, ClientSockets sockets) {
    this.client = client;
    this.sockets = sockets;
  }

  private volatile Long maximumPacketSize;

  /** Connects, or throws the broker's refusal ({@link MqttException}). */
  public static MqttTestClient connect(String uri, String clientId, MqttConnectionOptions options)
      throws MqttException {
    if (!(options.getSocketFactory() instanceof SSLSocketFactory tls)) {
      throw new IllegalArgumentException("options need an SSLSocketFactory: the shipped broker only speaks TLS");
    }
    ClientSockets sockets = tls instanceof ClientSockets tracked ? tracked : new ClientSockets(tls);
    options.setSocketFactory(sockets);
    MqttAsyncClient paho = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
    MqttTestClient c = new MqttTestClient(paho, sockets);
    paho.setCallback(c.new Callback());
    try {
      org.eclipse.paho.mqttv5.client.IMqttToken connack = paho.connect(options);
      connack.waitForCompletion(TIMEOUT.toMillis());
      MqttProperties granted = connack.getResponseProperties();
      c.maximumPacketSize = granted == null ? null : granted.getMaximumPacketSize();
    } catch (MqttException e) {
      paho.close(true);
      throw e;
    }
    return c;
  }

  /** The Maximum Packet Size the broker announced in its CONNACK, or null when it set none. */
  public Long maximumPacketSize() {
    return maximumPacketSize;
  }

  /** Publishes and returns the reason code: PUBACK's for QoS 1 (0x87 = not authorized), 0 for QoS 0. */
  public int publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
    MqttMessage m = new MqttMessage(payload, qos, retained, new MqttProperties());
    return publish(topic, m);
  }

  /** Publishes {@code message} (with its properties) and returns the reason code as above. */
  public int publish(String topic, MqttMessage message) throws MqttException {
    return reasonCode(client.publish(topic, message));
  }

  /** Subscribes and returns SUBACK's reason code (the granted QoS, or >= 0x80 when refused). */
  public int subscribe(String filter, int qos) throws MqttException {
    return reasonCode(client.subscribe(new MqttSubscription(filter, qos)));
  }

  /** Waits for the token; the broker's refusal (a reason code >= 0x80) is returned, not thrown. */
  private static int reasonCode(IMqttToken token) throws MqttException {
    try {
      token.waitForCompletion(TIMEOUT.toMillis());
    } catch (MqttException e) {
      if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xFF) {
        return e.getReasonCode();
      }
      throw e;
    }
    return firstCode(token);
  }

  /** The next message received, waiting up to {@code timeout}; fails the test if none comes. */
  public Received next(Duration timeout) {
    try {
      Received r = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new AssertionError(client.getClientId() + " received nothing within " + timeout
            + " (so far: " + received() + ")");
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a message", e);
    }
  }

  /** The next message received within {@link #TIMEOUT}. */
  public Received next() {
    return next(TIMEOUT);
  }

  /** Everything received since connecting, in order (including what {@link #next} returned). */
  public List<Received> received() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** The broker's DISCONNECT or the error that ended the connection, once one happened; else null. */
  public String disconnectReason() {
    MqttDisconnectResponse d = disconnect;
    Throwable e = lost;
    return d != null ? d.toString() : e != null ? e.toString() : null;
  }

  /**
   * Cuts the TCP connection without DISCONNECT, as a crash would (the broker sends the will), and
   * waits until the client has noticed.
   */
  public void dropConnection() {
    try {
      sockets.cutAll();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cut the connection of " + clientId(), e);
    }
    Awaitility.await(clientId() + " to notice its cut connection").atMost(TIMEOUT).until(() -> !client.isConnected());
  }

  /** The TLS version negotiated with the broker ({@code "TLSv1.3"}, ...). */
  public String tlsProtocol() {
    return sockets.protocol();
  }

  /** The client id this client asked for. */
  public String clientId() {
    return client.getClientId();
  }

  /**
   * Drops the connection without DISCONNECT and without Paho's graceful wait, as the agent's link
   * does when it switches identity, and releases the client.
   */
  public void abort() throws MqttException {
    client.disconnectForcibly(0, 1000, false);
    client.close(true);
  }

  /** Disconnects cleanly (if connected) and releases the client. */
  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(TIMEOUT.toMillis());
    }
    client.close(true);
  }

  @Override
  public String toString() {
    return "MqttTestClient[" + client.getClientId() + (isConnected() ? ", connected" : ", disconnected") + "]";
  }

  private static int firstCode(IMqttToken token) {
    int[] codes = token.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      disconnect = response;
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      lost = exception;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      Received r = new Received(topic, message.getPayload(), message.getQos(), message.isRetained(),
          message.getProperties());
      synchronized (all) {
        all.add(r);
      }
      inbox.add(r);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      // publish() waits on the token itself.
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      // connect() waits on the token itself.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      // No enhanced authentication: identity is the TLS client certificate.
    }
  }
}
