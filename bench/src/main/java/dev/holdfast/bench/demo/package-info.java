/**
 * The fleet story told by {@code ./holdfast demo}: enrollment, SMS through the relay, an outage,
 * a kill -9 and the recovery, each step checked and narrated with timings. Drives {@code fleet}
 * and the packaged jars; never prints a secret, and adds nothing the agent or the server ships.
 */
package dev.holdfast.bench.demo;
