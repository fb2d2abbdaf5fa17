package dev.holdfast.provisioning.service;

import dev.holdfast.common.net.NoDelaySockets;
import dev.holdfast.common.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * The service's MQTT v5 connection. It connects with the service's client certificate, subscribes
 * to {@code subscriptions} on every (re)connection, hands each message to the handler, and after a
 * failed attempt or a lost connection tries again after {@link Backoff#delay}, timed by the injected
 * scheduler. Paho's own automatic reconnect is off: its fixed doubling has no jitter.
 *
 * <p>The broker says in its CONNACK how many QoS 1 publishes it takes unacknowledged (Mosquitto's
 * {@code max_inflight_messages}, 20 by default); Paho refuses one more with "too many publishes in
 * progress" and the message is lost. So a publish first takes one of that many slots, waiting up to
 * {@link #SLOT_WAIT} for a PUBACK to free one: a burst of answers queues instead of being dropped.
 */
public final class ServiceConnection implements AutoCloseable {
  /** What to do with a message; runs on Paho's callback thread, so it must not block. */
  @FunctionalInterface
  public interface Handler {
    void onMessage(String topic, MqttMessage message, ServiceConnection connection);
  }

  private final MqttAsyncClient client;
  private final MqttConnectionOptions options;
  private final List<MqttSubscription> subscriptions;
  private final Handler handler;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;
  private final RandomGenerator random;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicBoolean attemptPending = new AtomicBoolean();
  private final AtomicInteger connections = new AtomicInteger();
  private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
  /** Slots for unacknowledged QoS 1 publishes, as many as the broker's receive maximum; new on each connection. */
  private volatile Semaphore slots = new Semaphore(DEFAULT_RECEIVE_MAXIMUM);
  private volatile boolean closed;

  /** How long a publish waits for a free slot before it is given up (and logged). */
  static final Duration SLOT_WAIT = Duration.ofSeconds(30);
  /** The receive maximum when the broker names none (MQTT v5: then 65,535; capped, a slot is cheap). */
  static final int DEFAULT_RECEIVE_MAXIMUM = 1000;

  public ServiceConnection(String uri, String clientId, SSLSocketFactory tls, List<MqttSubscription> subscriptions,
      Handler handler, Backoff backoff, ScheduledExecutorService scheduler, RandomGenerator random)
      throws MqttException {
    this.client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
    this.options = new MqttConnectionOptions();
    options.setSocketFactory(NoDelaySockets.wrap(tls)); // answers without 40 ms of Nagle and delayed ACKs
    options.setCleanStart(true);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout(10);
    options.setAutomaticReconnect(false);
    options.setHttpsHostnameVerificationEnabled(true);
    this.subscriptions = List.copyOf(subscriptions);
    this.handler = handler;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.random = random;
    client.setCallback(new Callback());
  }

  /** Starts connecting in the background; failures are retried until {@link #close}. */
  public ServiceConnection start() {
    schedule(0);
    return this;
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** Waits for the first connection; false when {@code timeout} passed before it (it keeps trying). */
  public boolean awaitFirstConnection(Duration timeout) throws InterruptedException {
    try {
      firstConnection.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the first connection is never completed exceptionally", e);
    }
  }

  /** How many times a connection was established (1 after the first, 2 after a reconnect, ...). */
  public int connections() {
    return connections.get();
  }

  /** Publishes without waiting; a failure is logged (the requester will time out and ask again). */
  public void publish(String topic, byte[] payload, int qos, boolean retained, MqttProperties properties) {
    MqttMessage m = new MqttMessage(payload, qos, retained, properties);
    Semaphore held = slots;
    try {
      if (!held.tryAcquire(SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        Logger.warn("publish to {} given up: the broker acknowledged none of the publishes in flight for {} s",
            topic, SLOT_WAIT.toSeconds());
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      client.publish(topic, m, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          held.release();
          int[] codes = token.getReasonCodes();
          if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            Logger.warn("broker refused a publish to {} (reason 0x{})", topic, Integer.toHexString(codes[0]));
          }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          held.release();
          Logger.warn("publish to {} failed: {}", topic, e.getMessage());
        }
      });
    } catch (MqttException e) {
      held.release();
      Logger.warn("publish to {} failed: {}", topic, e.getMessage());
    }
  }

  /** Publishes and waits up to {@code timeoutMillis}; returns the broker's reason code (>= 0x80: refused). */
  public int publishAndWait(String topic, byte[] payload, int qos, boolean retained, long timeoutMillis)
      throws MqttException {
    Semaphore held = slots;
    try {
      if (!held.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new MqttException(MqttClientException.REASON_CODE_MAX_INFLIGHT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT, e);
    }
    IMqttToken token;
    try {
      token = client.publish(topic, new MqttMessage(payload, qos, retained, new MqttProperties()), null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken t) {
              held.release();
            }

            @Override
            public void onFailure(IMqttToken t, Throwable e) {
              held.release();
            }
          });
    } catch (MqttException | RuntimeException e) {
      held.release();
      throw e;
    }
    token.waitForCompletion(timeoutMillis);
    int[] codes = token.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  private void schedule(long delayMillis) {
    if (closed || !attemptPending.compareAndSet(false, true)) {
      return;
    }
    scheduler.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void connect() {
    attemptPending.set(false);
    if (closed || client.isConnected()) {
      return;
    }
    try {
      client.connect(options, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          failures.set(0);
          MqttProperties connack = token.getResponseProperties();
          Integer receiveMaximum = connack == null ? null : connack.getReceiveMaximum();
          slots = new Semaphore(receiveMaximum == null || receiveMaximum <= 0 ? DEFAULT_RECEIVE_MAXIMUM
              : Math.min(receiveMaximum, DEFAULT_RECEIVE_MAXIMUM));
          connections.incrementAndGet();
          Logger.info("connected to the broker {}", client.getServerURI());
          subscribe();
          firstConnection.complete(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          retry("could not connect to the broker " + client.getServerURI() + ": " + describe(e));
        }
      });
    } catch (MqttException e) {
      retry("could not connect to the broker " + client.getServerURI() + ": " + describe(e));
    }
  }

  private void subscribe() {
    try {
      client.subscribe(subscriptions.toArray(new MqttSubscription[0]), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          for (int i = 0; codes != null && i < codes.length; i++) {
            if (codes[i] >= 0x80) {
              Logger.error("the broker refused the subscription {} (reason 0x{}); check its ACL for {}",
                  subscriptions.get(Math.min(i, subscriptions.size() - 1)).getTopic(), Integer.toHexString(codes[i]),
                  client.getClientId());
            }
          }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          Logger.error("subscribing failed: {}", describe(e));
        }
      }, new MqttProperties());
    } catch (MqttException e) {
      Logger.error("subscribing failed: {}", describe(e));
    }
  }

  private void retry(String why) {
    if (closed) {
      return;
    }
    long delay = backoff.delay(failures.getAndIncrement(), random).toMillis();
    Logger.warn("{}; retrying in {} ms", why, delay);
    schedule(delay);
  }

  private static String describe(Throwable e) {
    Throwable cause = e.getCause();
    return e.getMessage() + (cause != null && cause != e ? " (" + cause.getMessage() + ")" : "");
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close(true);
    } catch (MqttException e) {
      Logger.warn("closing the broker connection: {}", e.getMessage());
    }
  }

  private final class Callback implements TokenWaitingCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      retry("lost the broker connection (" + response + ")");
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      Logger.warn("broker connection error: {}", exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        handler.onMessage(topic, message, ServiceConnection.this);
      } catch (RuntimeException e) {
        Logger.error(e, "handling a message on {} failed", topic);
      }
    }
  }
}
