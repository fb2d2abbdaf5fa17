package dev.holdfast.agent.link;

import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/** Paho's callbacks, handed over to the link's thread; and small helpers around Paho's types. */
final class LinkCallback implements MqttCallback {
  private final MqttLink link;

  LinkCallback(MqttLink link) {
    this.link = link;
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    String reason = response.getException() != null ? describe(response.getException())
        : "the broker disconnected (reason code 0x" + Integer.toHexString(response.getReturnCode()) + ")";
    link.onLinkThread(() -> link.lost(reason));
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    Logger.warn("mqtt error: {}", describe(exception));
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    byte[] payload = message.getPayload();
    link.onLinkThread(() -> link.messageArrived(topic, payload));
  }

  @Override
  public void deliveryComplete(IMqttToken token) {
    // publications are followed through their tokens
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    // the connect token's listener handles this
  }

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {
    // no enhanced authentication: the device authenticates with its certificate
  }

  static MqttActionListener listener(Consumer<IMqttToken> success, Consumer<Throwable> failure) {
    return new MqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        success.accept(token);
      }

      @Override
      public void onFailure(IMqttToken token, Throwable exception) {
        failure.accept(exception);
      }
    };
  }

  /** The first reason code of the token's acknowledgement (PUBACK, SUBACK); 0 when there is none. */
  static int reasonCode(IMqttToken token) {
    int[] codes = token.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  static void checkSubAck(IMqttToken token, String topic) {
    int code = reasonCode(token);
    if (code >= 0x80) {
      Logger.warn("the broker refused the subscription to {} (reason code 0x{}): no commands will arrive", topic,
          Integer.toHexString(code));
    }
  }

  /** What went wrong, in one line: Paho's message and the underlying cause (TLS, refused, ...). */
  static String describe(Throwable e) {
    if (e instanceof MqttException m && m.getReasonCode() == 0 && e.getCause() != null) {
      e = e.getCause(); // Paho's "Untranslated MqttException" says nothing; its cause does
    }
    StringBuilder s = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (e instanceof MqttException m && m.getReasonCode() != 0) {
      s.append(" (code ").append(m.getReasonCode()).append(')');
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      s.append(": ").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        s.append(' ').append(cause.getMessage());
      }
    }
    return printable(s.toString());
  }

  /** One line of at most 200 characters without control characters: text from the network goes in logs. */
  static String printable(String s) {
    String line = s.replaceAll("\\p{Cntrl}+", " ").strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** Drops the connection (or the attempt under way) without DISCONNECT; never throws. */
  static void abort(MqttAsyncClient client) {
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException | RuntimeException e) {
      Logger.debug("forced disconnect: {}", describe(e));
    }
  }

  /** Drops the connection and releases the client's threads for good; never throws. */
  static void release(MqttAsyncClient client) {
    abort(client);
    try {
      client.close(true);
    } catch (MqttException | RuntimeException e) {
      Logger.debug("closing the client: {}", describe(e));
    }
  }
}
