package dev.holdfast.agent.link;

import dev.holdfast.common.net.NoDelaySockets;
import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.protocol.messages.StateMessage;
import dev.holdfast.protocol.messages.Topics;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** The CONNECT the link sends: persistent session, retained last will, TLS with the device certificate. */
final class LinkOptions {
  private LinkOptions() {}

  static MqttConnectionOptions of(LinkSettings settings, String deviceId, SSLSocketFactory tls, String version) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    // A session that outlives a dropped connection keeps the command subscription and the QoS 1
    // commands sent meanwhile; mqtt.session-expiry bounds how long the broker keeps them.
    o.setCleanStart(false);
    o.setSessionExpiryInterval(settings.sessionExpiry().getSeconds());
    o.setKeepAliveInterval((int) settings.keepAlive().getSeconds());
    o.setConnectionTimeout((int) Math.max(1, settings.timeout().getSeconds()));
    o.setAutomaticReconnect(false);
    o.setSocketFactory(NoDelaySockets.wrap(tls)); // a request/response without 40 ms of Nagle and delayed ACKs
    o.setHttpsHostnameVerificationEnabled(true);
    MqttMessage will = new MqttMessage(StateMessage.will(deviceId, version), 1, true, new MqttProperties());
    o.setWill(Topics.state(deviceId), will);
    return o;
  }
}
