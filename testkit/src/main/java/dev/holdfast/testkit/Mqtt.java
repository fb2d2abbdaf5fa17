package dev.holdfast.testkit;

import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Quick MQTT v5 clients for tests against a {@link Mosquitto} with a {@link TestPki}. */
public final class Mqtt {
  private Mqtt() {}

  /** Connects as {@code who}, with client id = its CN (clean start, no will). */
  public static MqttTestClient connect(Mosquitto broker, TestPki pki, Credentials who) throws MqttException {
    return connect(broker, pki, who, who.commonName());
  }

  /** Connects as {@code who} asking for {@code clientId} (the shipped config replaces it by the CN). */
  public static MqttTestClient connect(Mosquitto broker, TestPki pki, Credentials who, String clientId)
      throws MqttException {
    return MqttTestClient.connect(broker.uri(), clientId, options(pki.socketFactory(who)));
  }

  /**
   * Options for a v5 connection over {@code tls}: clean start, 30 s keep-alive, 10 s connect
   * timeout, no automatic reconnect, host name verification on. Add a will or change them before
   * passing to {@link MqttTestClient#connect(String, String, MqttConnectionOptions)}.
   */
  public static MqttConnectionOptions options(SSLSocketFactory tls) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setSocketFactory(tls);
    o.setCleanStart(true);
    o.setKeepAliveInterval(30);
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(false);
    o.setHttpsHostnameVerificationEnabled(true);
    return o;
  }
}
