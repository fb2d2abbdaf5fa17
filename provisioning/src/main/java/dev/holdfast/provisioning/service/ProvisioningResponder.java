package dev.holdfast.provisioning.service;

import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * Answers devices' {@code prov/req} messages with its {@link Answers} (rotation's, when the service
 * serves rotations; else every request gets {@code {"v":1,"type":"error","error":"unsupported",...}}),
 * on its executor (never on Paho's thread: an answer writes the registry and may wait for the broker),
 * with the request's correlation data echoed. Requests that arrive while the executor is busy wait
 * together and are handed over together ({@link Answers#answerAll}, at most {@link #MOST_AT_ONCE}),
 * so that rotation can commit them in one registry transaction.
 *
 * <p>The answer always goes to the requesting device's own {@code prov/res}, whatever response
 * topic the request names: the service may publish anywhere in the fleet's tree, so following a
 * device's response topic blindly would let one device make the service write into another's.
 */
public final class ProvisioningResponder implements ServiceConnection.Handler {
  static final ProvError UNSUPPORTED = new ProvError(ProvError.Code.UNSUPPORTED,
      "this provisioning service does not serve requests over MQTT; nothing was changed", Optional.empty());

  /**
   * Turns the payload a device sent on its {@code prov/req} into the answer it gets: {@code reply}
   * once, on the calling thread or later on another (an answer may wait for the broker).
   */
  @FunctionalInterface
  public interface Answers {
    void answer(String deviceId, byte[] payload, Consumer<ProvAnswer> reply);

    /** Answers requests that waited together, each as {@link #answer} would; by default one by one. */
    default void answerAll(List<Asked> asked) {
      for (Asked a : asked) {
        try {
          answer(a.deviceId(), a.payload(), a.reply());
        } catch (RuntimeException e) {
          Logger.error(e, "the provisioning request of {} was not answered", a.deviceId());
        }
      }
    }
  }

  /** A request waiting for its answer: the device on whose topic it came, its payload, where the answer goes. */
  public record Asked(String deviceId, byte[] payload, Consumer<ProvAnswer> reply) {
    @Override
    public String toString() {
      return "Asked[" + deviceId + ", " + payload.length + " bytes]";
    }
  }

  /** The most requests handed over together. */
  public static final int MOST_AT_ONCE = 32;

  private final Answers answers;
  private final Executor executor;
  private final Queue<Asked> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /** Answers every request "unsupported". */
  public ProvisioningResponder() {
    this((device, payload, reply) -> reply.accept(UNSUPPORTED), Runnable::run);
  }

  public ProvisioningResponder(Answers answers, Executor executor) {
    this.answers = answers;
    this.executor = executor;
  }

  /** What the service subscribes to: not shared, so no device can join the group and drop requests. */
  public static List<MqttSubscription> subscriptions() {
    return List.of(new MqttSubscription(Topics.allProvisioningRequests(), 1));
  }

  @Override
  public void onMessage(String topic, MqttMessage message, ServiceConnection connection) {
    Optional<String> device = Topics.deviceOf(topic);
    if (device.isEmpty() || !topic.equals(Topics.provisioningRequests(device.get()))) {
      Logger.warn("ignoring a message on {}: not a provisioning request", topic);
      return;
    }
    String answerTopic = Topics.provisioningResponses(device.get());
    MqttProperties in = message.getProperties();
    String asked = in == null ? null : in.getResponseTopic();
    if (asked != null && !asked.equals(answerTopic)) {
      Logger.warn("device {} asked for answers on {}; answering on {}", device.get(), asked, answerTopic);
    }
    MqttProperties out = new MqttProperties();
    if (in != null && in.getCorrelationData() != null) {
      out.setCorrelationData(in.getCorrelationData());
    }
    out.setContentType("application/json");
    byte[] payload = message.getPayload();
    Logger.debug("provisioning request from {} ({} bytes)", device.get(), payload.length);
    waiting.add(new Asked(device.get(), payload,
        answer -> connection.publish(answerTopic, answer.toJson().getBytes(StandardCharsets.UTF_8), 1, false, out)));
    if (draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  /** On the executor: answers what is waiting, up to {@link #MOST_AT_ONCE}, and comes back for the rest. */
  private void drain() {
    List<Asked> batch = new ArrayList<>();
    for (Asked a = waiting.poll(); a != null; a = batch.size() < MOST_AT_ONCE ? waiting.poll() : null) {
      batch.add(a);
    }
    try {
      if (!batch.isEmpty()) {
        answers.answerAll(batch);
      }
    } finally {
      draining.set(false);
      if (!waiting.isEmpty() && draining.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }
  }
}
