package dev.holdfast.provisioning.service;

import dev.holdfast.common.net.NoDelaySockets;
import dev.holdfast.provisioning.broker.BrokerSync;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.credentials.TakeoverCredentials;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.tinylog.Logger;

/**
 * Closes a revoked device's open MQTT session: connects once with a {@link TakeoverCredentials}
 * certificate carrying the device's CN (the broker then drops the device's connection and, with
 * clean start and no session expiry, its session too) and disconnects. The device's reconnect then
 * meets the CRL the broker has just re-read.
 */
public final class SessionTakeover implements BrokerSync.SessionCutter {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final String uri;
  private final TakeoverCredentials credentials;
  private final X509Certificate fleetRoot;
  private final SecureRandom random;
  private final String actor;

  public SessionTakeover(String uri, TakeoverCredentials credentials, X509Certificate fleetRoot, SecureRandom random,
      String actor) {
    this.uri = uri;
    this.credentials = credentials;
    this.fleetRoot = fleetRoot;
    this.random = random;
    this.actor = actor;
  }

  @Override
  public void cut(String deviceId) throws IOException, RegistryException {
    ServerCredentials takeover = credentials.issue(deviceId, actor);
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setSocketFactory(NoDelaySockets.wrap(ServiceTls.context(takeover, fleetRoot, random).getSocketFactory()));
    o.setCleanStart(true);
    o.setSessionExpiryInterval(0L);
    o.setConnectionTimeout((int) TIMEOUT.toSeconds());
    o.setAutomaticReconnect(false);
    o.setHttpsHostnameVerificationEnabled(true);
    MqttAsyncClient client = null;
    try {
      client = new MqttAsyncClient(uri, deviceId, new MemoryPersistence());
      client.connect(o).waitForCompletion(TIMEOUT.toMillis());
      client.disconnect().waitForCompletion(TIMEOUT.toMillis());
      Logger.info("closed the open MQTT session of revoked device {} (if it had one)", deviceId);
    } catch (MqttException e) {
      Throwable cause = e.getCause();
      throw new IOException("cannot connect to the broker " + uri + " to take over the session of " + deviceId + ": "
          + e.getMessage() + (cause != null ? " (" + cause.getMessage() + ")" : ""), e);
    } finally {
      if (client != null) {
        try {
          client.close(true);
        } catch (MqttException e) {
          // the takeover is done or failed already; nothing left to release
        }
      }
    }
  }
}
