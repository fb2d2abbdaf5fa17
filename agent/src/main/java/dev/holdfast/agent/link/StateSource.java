package dev.holdfast.agent.link;

/**
 * Where the link reads the device's current state from (outbox, identity). Called on the link's
 * thread every couple of seconds and before each publication, so it must be cheap and must not
 * block on I/O; it must not throw.
 */
@FunctionalInterface
public interface StateSource {
  DeviceState current();
}
