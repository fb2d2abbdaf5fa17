/**
 * What the agent and the provisioning side share beyond the wire: the configuration file format,
 * durations, the backoff formula, how an HTTP answer and its {@code Retry-After} are read, the
 * Twilio client, {@link dev.holdfast.common.Result} and the exit codes. One copy of each, so the
 * two programs cannot drift apart. Wire formats live in {@code protocol}; the store in {@code vault}.
 */
package dev.holdfast.common;
