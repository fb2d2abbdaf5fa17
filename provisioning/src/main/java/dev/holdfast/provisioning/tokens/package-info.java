/**
 * One-time enrollment tokens for the factory bench: created in batches for a profile (which fixes
 * certificate lifetime and key scopes), stored only as HMACs, redeemed exactly once. What a token
 * entitles to is decided here; the enrollment that spends it lives in {@code enrollment}.
 */
package dev.holdfast.provisioning.tokens;
