/**
 * One-time enrollment tokens for the factory bench: created in batches for a profile (which fixes
 * certificate lifetime and key scopes), stored only as HMACs, redeemed exactly once, and the
 * enrollment that turns a token and a CSR into a device, a certificate and an API key.
 */
package dev.holdfast.provisioning.tokens;
