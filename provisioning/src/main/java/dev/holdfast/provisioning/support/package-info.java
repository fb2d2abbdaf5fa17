/**
 * Small value helpers every feature shares: argument checks whose messages name the setting,
 * durations, base62, a strict minimal JSON reader/writer and the binary record encoding.
 * Pure functions: no files, no sockets, no clocks, no randomness of their own.
 */
package dev.holdfast.provisioning.support;
