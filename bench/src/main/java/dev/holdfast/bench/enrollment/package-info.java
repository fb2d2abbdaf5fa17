/**
 * Enrollment benchmarks: whole device-side enrollments per second against the provisioning API
 * server over loopback HTTPS, and the time from {@code holdfast-agent run} to its retained online
 * state on a real Mosquitto. Uses the agent's and the provisioning module's public API only; never
 * changes what it measures.
 */
package dev.holdfast.bench.enrollment;
