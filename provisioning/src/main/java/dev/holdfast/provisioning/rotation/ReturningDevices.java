package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.StateMessage;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.service.ServiceConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * Rotates a device that comes back online while a {@code fleet rotate} campaign it belongs to is
 * still open, without waiting for the operator to run the campaign again. The service reads every
 * device's {@code state}; a device publishes it, {@code online:true}, on every connect (and every
 * {@code mqtt.state-interval}). For such a message, if an open campaign selects the device and it
 * has not begun a rotation since the campaign began, the service sends it a signed {@code rotate}
 * command, at most one per {@link RemoteRotation#COMMAND_LIFETIME} per device, and answers its
 * renew and confirm as always; the campaign's next run then counts it as done.
 *
 * <p>Retained states (what the broker kept from before the service subscribed) are not asked for:
 * a service that starts would otherwise command every online device of an open campaign at once,
 * beyond the campaign's in-flight bound. The open campaigns are read from the audit log again only
 * when a campaign was begun or finished since ({@link
 * dev.holdfast.provisioning.registry.Rotations#campaignChanges}), at most once per {@link
 * #CAMPAIGNS_READ_EVERY}; the work runs on the executor, never on Paho's thread.
 */
public final class ReturningDevices implements ServiceConnection.Handler {
  /** The audit log is read for open campaigns at most this often, and only when one began or ended. */
  public static final Duration CAMPAIGNS_READ_EVERY = Duration.ofSeconds(5);
  /** How many devices' last commands are remembered before those no longer valid are forgotten. */
  static final int FORGET_ABOVE = 10_000;

  private final Registry registry;
  private final RemoteRotation commands;
  private final Clock clock;
  private final Executor executor;
  private final Map<String, Instant> commanded = new ConcurrentHashMap<>();
  private volatile Map<String, Instant> campaigns = Map.of();
  private volatile Optional<Instant> campaignsRead = Optional.empty();
  private volatile long campaignsChanges;

  /** @param commands signs the {@code rotate} commands, as {@code rotate --device} does */
  public ReturningDevices(Registry registry, RemoteRotation commands, Clock clock, Executor executor) {
    this.registry = registry;
    this.commands = commands;
    this.clock = clock;
    this.executor = executor;
  }

  /** {@code others} and, for it, every device's state without the retained ones. */
  public static List<MqttSubscription> subscriptions(List<MqttSubscription> others) {
    MqttSubscription states = new MqttSubscription(Topics.allStates(), 0);
    states.setRetainHandling(2);
    List<MqttSubscription> all = new ArrayList<>(others);
    all.add(states);
    return all;
  }

  /** A handler that gives it the devices' states and {@code others} every other message. */
  public ServiceConnection.Handler besides(ServiceConnection.Handler others) {
    return (topic, message, connection) -> (Topics.isState(topic) ? this : others)
        .onMessage(topic, message, connection);
  }

  @Override
  public void onMessage(String topic, MqttMessage message, ServiceConnection connection) {
    if (!Topics.isState(topic) || message.isRetained() || !StateMessage.onlineOf(message.getPayload()).orElse(false)) {
      return;
    }
    String device = Topics.deviceOf(topic).orElseThrow();
    executor.execute(() -> cameOnline(device, connection));
  }

  /** Sends {@code deviceId} a rotate command when an open campaign still needs it; true when it did. */
  boolean cameOnline(String deviceId, ServiceConnection connection) {
    try {
      Instant now = clock.instant();
      Instant last = commanded.get(deviceId);
      if (last != null && now.isBefore(last.plus(RemoteRotation.COMMAND_LIFETIME))) {
        return false;
      }
      Map<String, Instant> open = openCampaigns(now);
      Optional<String> campaign = registry.read(tx -> needing(tx, deviceId, open, now));
      if (campaign.isEmpty()) {
        return false;
      }
      if (commanded.size() >= FORGET_ABOVE) { // only those whose command is still valid matter
        commanded.values().removeIf(at -> !now.isBefore(at.plus(RemoteRotation.COMMAND_LIFETIME)));
      }
      commanded.put(deviceId, now);
      Command command = commands.command(deviceId, now);
      connection.publish(Topics.commands(deviceId), command.toJson().getBytes(StandardCharsets.UTF_8), 1, false,
          new MqttProperties());
      Logger.info("device {} is back online and the campaign '{}' begun {} has not rotated it: rotate command {} sent",
          deviceId, campaign.get(), open.get(campaign.get()), command.id());
      return true;
    } catch (RegistryException | RuntimeException e) {
      Logger.warn("device {} came online; checking the open rotation campaigns failed: {}", deviceId, e.getMessage());
      return false;
    }
  }

  /**
   * The first open campaign that selects the device and has not begun rotating it: a device whose
   * latest rotation was asked for since the campaign began is done or under way (it reconnects with
   * its new certificate before it confirms, and a second command would only start another rotation).
   */
  private static Optional<String> needing(RegistryTx tx, String deviceId, Map<String, Instant> open, Instant now)
      throws RegistryException {
    Optional<Device> device = tx.devices().find(deviceId);
    if (device.isEmpty() || open.isEmpty()) {
      return Optional.empty();
    }
    for (Map.Entry<String, Instant> c : open.entrySet()) {
      Optional<FleetSelection> selection = FleetSelection.parse(c.getKey());
      if (selection.isPresent() && selection.get().selects(tx, device.get(), now)
          && tx.rotations().find(deviceId).filter(r -> !r.requestedAt().isBefore(c.getValue())).isEmpty()) {
        return Optional.of(c.getKey());
      }
    }
    return Optional.empty();
  }

  private Map<String, Instant> openCampaigns(Instant now) throws RegistryException {
    long changes = registry.read(tx -> tx.rotations().campaignChanges());
    Optional<Instant> read = campaignsRead;
    if (read.isEmpty() || changes != campaignsChanges && !now.isBefore(read.get().plus(CAMPAIGNS_READ_EVERY))) {
      campaigns = registry.read(FleetRotation::openCampaigns); // may see a later change: read again next time
      campaignsRead = Optional.of(now);
      campaignsChanges = changes;
    }
    return campaigns;
  }
}
