/**
 * {@code bench/run footprint}: the agent's memory and start time with the shipped JVM flags,
 * against a hello-world JVM with the same flags measured in the same run; what it loads, by
 * library and by memory region; the sizes of what is shipped.
 */
package dev.holdfast.bench.footprint;
