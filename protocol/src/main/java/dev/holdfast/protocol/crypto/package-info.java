/**
 * Cryptographic building blocks shared by the agent and the provisioning side: the {@link
 * dev.holdfast.protocol.crypto.Secret} type, AES-256-GCM sealing with associated data, and HKDF.
 * Pure functions over bytes: no files, no sockets, no clocks.
 */
package dev.holdfast.protocol.crypto;
