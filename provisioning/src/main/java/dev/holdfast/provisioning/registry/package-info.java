/**
 * The fleet's records and the seam in front of where they are kept: {@link
 * dev.holdfast.provisioning.registry.Registry} runs transactions, {@link
 * dev.holdfast.provisioning.registry.RegistryTx} hands out one small interface per aggregate
 * (devices, certificates, API keys, tokens, idempotency, audit, secrets, the broker's pending reload). It stores and returns
 * records; it makes no policy decisions. Implementations live in sub-packages ({@code mapdb}).
 */
package dev.holdfast.provisioning.registry;
