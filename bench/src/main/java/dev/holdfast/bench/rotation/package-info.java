/**
 * {@code bench/run rotation}: the rotation handshake (renew, reconnect with the new certificate,
 * confirm) over a real loopback Mosquitto against the service's own rotation code, beside a bare
 * MQTT request/response through the same service in the same run.
 */
package dev.holdfast.bench.rotation;
