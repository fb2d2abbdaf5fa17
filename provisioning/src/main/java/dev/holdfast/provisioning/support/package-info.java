/**
 * Small value helpers every feature shares: argument checks whose messages name the setting, base62,
 * and the checksummed token format of API keys and enrollment tokens. Pure functions: no files, no
 * sockets, no clocks, no randomness of their own.
 */
package dev.holdfast.provisioning.support;
