package dev.holdfast.provisioning.service;

import dev.holdfast.common.net.NoDelaySockets;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.StateMessage;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.credentials.CommandSigner;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.support.Base62;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * {@code devices ping}: connects as the service, publishes a signed {@code ping} command to the
 * device's {@code cmd} topic and waits for the device's retained state to carry
 * {@code "pong":"<command id>"}. The round trip is measured on the injected clock.
 */
public final class Pinger {
  /** How long a ping command stays valid on the device side. */
  public static final Duration COMMAND_LIFETIME = Duration.ofMinutes(1);

  private final CommandSigner signer;
  private final Clock clock;
  private final SecureRandom random;

  public Pinger(CommandSigner signer, Clock clock, SecureRandom random) {
    this.signer = signer;
    this.clock = clock;
    this.random = random;
  }

  /** The answer to one ping. */
  public record Pong(String commandId, Duration roundTrip) {}

  public Pong ping(String uri, SSLSocketFactory tls, String deviceId, Duration timeout)
      throws PingException, RegistryException {
    BlockingQueue<byte[]> states = new LinkedBlockingQueue<>();
    MqttAsyncClient client;
    try {
      client = new MqttAsyncClient(uri, ServiceCredentials.SERVICE_CN, new MemoryPersistence());
    } catch (MqttException e) {
      throw new PingException(PingException.Reason.BROKER_UNREACHABLE, "bad broker URI " + uri, e);
    }
    client.setCallback(new StateCallback(Topics.state(deviceId), states));
    try {
      connect(client, tls, uri, timeout);
      int granted = firstCode(client.subscribe(new MqttSubscription(Topics.state(deviceId), 1)), timeout);
      if (granted >= 0x80) {
        throw new PingException(PingException.Reason.REFUSED, "the broker refused the subscription to "
            + Topics.state(deviceId) + " (reason 0x" + Integer.toHexString(granted) + "); check its ACL", null);
      }
      String id = "ping-" + Base62.random(random, 16);
      Instant sent = clock.instant();
      Command command = signer.sign(id, deviceId, Command.PING, sent, sent.plus(COMMAND_LIFETIME));
      int published = firstCode(client.publish(Topics.commands(deviceId), new MqttMessage(
          command.toJson().getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties())), timeout);
      if (published >= 0x80) {
        throw new PingException(PingException.Reason.REFUSED, "the broker refused the command to "
            + Topics.commands(deviceId) + " (reason 0x" + Integer.toHexString(published) + "); check its ACL", null);
      }
      awaitPong(states, id, deviceId, sent.plus(timeout));
      return new Pong(id, Duration.between(sent, clock.instant()));
    } catch (MqttException e) {
      throw new PingException(PingException.Reason.BROKER_UNREACHABLE, "the broker connection failed: "
          + e.getMessage(), e);
    } finally {
      close(client);
    }
  }

  private void connect(MqttAsyncClient client, SSLSocketFactory tls, String uri, Duration timeout)
      throws PingException {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setSocketFactory(NoDelaySockets.wrap(tls));
    o.setCleanStart(true);
    o.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
    o.setAutomaticReconnect(false);
    o.setHttpsHostnameVerificationEnabled(true);
    try {
      client.connect(o).waitForCompletion(timeout.toMillis());
    } catch (MqttException e) {
      Throwable cause = e.getCause();
      throw new PingException(PingException.Reason.BROKER_UNREACHABLE, "cannot connect to the broker " + uri + ": "
          + e.getMessage() + (cause != null ? " (" + cause.getMessage() + ")" : ""), e);
    }
  }

  private void awaitPong(BlockingQueue<byte[]> states, String id, String deviceId, Instant deadline)
      throws PingException {
    while (true) {
      long left = Duration.between(clock.instant(), deadline).toMillis();
      byte[] state;
      try {
        state = left <= 0 ? null : states.poll(left, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        state = null;
      }
      if (state == null) {
        throw new PingException(PingException.Reason.TIMEOUT, "device " + deviceId + " did not answer ping " + id
            + " in time (is it online? 'devices show " + deviceId + "')", null);
      }
      if (StateMessage.pongOf(state).filter(id::equals).isPresent()) {
        return;
      }
    }
  }

  private static int firstCode(IMqttToken token, Duration timeout) throws PingException {
    try {
      token.waitForCompletion(timeout.toMillis());
    } catch (MqttException e) {
      if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xff) {
        return e.getReasonCode();
      }
      throw new PingException(PingException.Reason.BROKER_UNREACHABLE, "the broker connection failed: "
          + e.getMessage(), e);
    }
    int[] codes = token.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  private static void close(MqttAsyncClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close(true);
    } catch (MqttException e) {
      // closing after an answer or a failure: nothing left to report
    }
  }

  private record StateCallback(String topic, BlockingQueue<byte[]> states) implements TokenWaitingCallback {
    @Override
    public void messageArrived(String t, MqttMessage message) {
      if (topic.equals(t)) {
        states.add(message.getPayload());
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      // awaitPong times out; the message says what to check
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      // as above
    }
  }
}
