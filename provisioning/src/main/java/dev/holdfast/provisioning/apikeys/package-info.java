/**
 * API keys for devices: {@code hf_} keys with an offline-checkable checksum, stored only as an
 * HMAC under a pepper kept in the registry's sealed secrets, verified in constant time, with
 * scopes, expiry, a grace window and revocation; each key's use, counted in memory and written in
 * one transaction per flush. Never logs or stores a key's plaintext.
 */
package dev.holdfast.provisioning.apikeys;
