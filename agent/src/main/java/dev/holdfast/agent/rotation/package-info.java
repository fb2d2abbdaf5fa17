/**
 * Credential rotation on the device: an explicit state machine ({@link RotationStep}), each step
 * persisted in the vault before the next, driven on its own thread by triggers (the renewal
 * policy's timer, a 401 from the relay, a signed {@code rotate} command, {@code holdfast-agent
 * rotate}). Talks to the service through a {@link ProvisioningChannel} and to the MQTT link through
 * {@link LinkControl}; touches the identity only through the vault's identity collections.
 */
package dev.holdfast.agent.rotation;
