/**
 * Shared parts of the harness and the benchmarks: the agent jar as a real child process, a
 * recording HTTP sink on loopback with switchable failure modes, and producers that talk to the
 * agent's socket. Nothing here is shipped.
 */
package dev.holdfast.bench.support;
