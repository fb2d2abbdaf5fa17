package dev.holdfast.provisioning.broker;

/** Tells the broker to re-read its CRL and ACL ({@link BrokerReloader#hangup}, or nothing in a test). */
@FunctionalInterface
public interface Reload {
  void run() throws BrokerReloadException;
}
