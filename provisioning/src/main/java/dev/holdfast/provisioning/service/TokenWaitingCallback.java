package dev.holdfast.provisioning.service;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho callback for a client that waits on the token of each connect and publish: the
 * completion callbacks have nothing left to do, and the service has no enhanced authentication
 * (its identity is its TLS client certificate).
 */
interface TokenWaitingCallback extends MqttCallback {
  @Override
  default void deliveryComplete(IMqttToken token) {
    // each publish waits on its own token
  }

  @Override
  default void connectComplete(boolean reconnect, String serverURI) {
    // connect waits on its token
  }

  @Override
  default void authPacketArrived(int reasonCode, MqttProperties properties) {
    // no enhanced authentication
  }
}
