/**
 * Outbox throughput benchmarks ({@code bench/run outbox}): durable enqueue through the local API,
 * drain to a loopback sink, and the outage chart, each against a baseline measured in the same run.
 * Drives the agent only from outside (its jar, its socket); changes nothing in it.
 */
package dev.holdfast.bench.outbox;
