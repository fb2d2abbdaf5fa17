package dev.holdfast.agent.rotation;

import dev.holdfast.agent.identity.CredentialSet;
import java.util.concurrent.CompletableFuture;

/** Makes the MQTT link present another certificate. */
public interface LinkControl {
  /** Reconnects with {@code set}'s certificate; completes once connected with it. */
  CompletableFuture<Void> useIdentity(CredentialSet set);
}
