/**
 * Small value helpers every feature shares: argument checks whose messages name the setting, base62,
 * the checksummed token format of API keys and enrollment tokens, and the token bucket behind the
 * rate limits. No files, no sockets, no clocks or randomness of their own (the bucket is given one).
 */
package dev.holdfast.provisioning.support;
