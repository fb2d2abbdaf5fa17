/**
 * Provisioning-side benchmarks: relay requests per second against a constant-200 server on the
 * same JDK HttpsServer, and certificate issuing against a bare Bouncy Castle sign. Uses the
 * provisioning module's public API only; never changes what it measures.
 */
package dev.holdfast.bench.relay;
