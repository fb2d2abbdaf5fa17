package dev.holdfast.bench.enrollment;

import dev.holdfast.testkit.Mqtt;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho v5 subscriber to one device's retained state topic, connected as the provisioning
 * service (the ACL lets its CN read every device's state). {@link #arm} starts waiting for the
 * next state with {@code "online":true}; the nanoTime of its arrival completes the future.
 * {@link #armOffline} does the same for {@code "online":false}, so a run starts only once the
 * previous one's last state has arrived.
 */
final class StateWatcher implements AutoCloseable {
  private static final Pattern ONLINE = Pattern.compile("\"online\"\\s*:\\s*true");
  private final MqttAsyncClient client;
  private static final Pattern OFFLINE = Pattern.compile("\"online\"\\s*:\\s*false");
  private volatile CompletableFuture<Long> next = new CompletableFuture<>();
  private volatile CompletableFuture<Long> offline = new CompletableFuture<>();

  StateWatcher(String uri, String clientId, SSLSocketFactory tls, String topic) throws MqttException {
    client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
    client.setCallback(new Callback());
    client.connect(Mqtt.options(tls)).waitForCompletion(TimeUnit.SECONDS.toMillis(10));
    client.subscribe(new MqttSubscription(topic, 1)).waitForCompletion(TimeUnit.SECONDS.toMillis(10));
  }

  /** Forgets what came before: the returned future completes with the next online state's arrival. */
  CompletableFuture<Long> arm() {
    next = new CompletableFuture<>();
    return next;
  }

  /** Completes with the next offline state's arrival (what a stopping agent publishes last). */
  CompletableFuture<Long> armOffline() {
    offline = new CompletableFuture<>();
    return offline;
  }

  @Override
  public void close() throws MqttException {
    try {
      client.disconnect().waitForCompletion(TimeUnit.SECONDS.toMillis(10));
    } finally {
      client.close(true);
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      long at = System.nanoTime();
      String state = new String(message.getPayload(), StandardCharsets.UTF_8);
      if (ONLINE.matcher(state).find()) {
        next.complete(at);
      } else if (OFFLINE.matcher(state).find()) {
        offline.complete(at);
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      IllegalStateException e = new IllegalStateException("the state subscriber was disconnected: " + response);
      next.completeExceptionally(e);
      offline.completeExceptionally(e);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      next.completeExceptionally(exception);
      offline.completeExceptionally(exception);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
