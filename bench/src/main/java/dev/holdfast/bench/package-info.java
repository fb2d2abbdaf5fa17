/**
 * Benchmarks and the crash / outage harness. Never shipped; runs the real jars and real servers on
 * loopback. Owns nothing the agent or provisioning side depends on.
 */
package dev.holdfast.bench;
