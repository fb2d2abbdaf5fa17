/**
 * A whole fleet on one machine for the end-to-end tests, the enrollment benchmark and the demo:
 * the provisioning server as a real process, Mosquitto with the shipped configuration, enrolled
 * agents as real processes, and a recording Twilio-compatible SMS provider on loopback.
 */
package dev.holdfast.bench.fleet;
