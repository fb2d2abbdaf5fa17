/**
 * How the agent lives under a service manager: readiness, the watchdog fed by a liveness probe of
 * the threads that do the work, the one-line status, and the health verdict {@code status} exits
 * on. It reads the outbox and the link through their public snapshots and never changes them.
 */
package dev.holdfast.agent.service;
