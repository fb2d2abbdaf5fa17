package dev.holdfast.provisioning.registry;

import java.util.List;

/** Who did what, when: appended to, never changed. */
public interface AuditLog {
  void append(AuditEvent event) throws RegistryException;

  /** Every event, in the order they were appended. */
  List<AuditEvent> all() throws RegistryException;
}
