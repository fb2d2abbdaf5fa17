/**
 * The kill -9 harness: the agent as a real process, killed with SIGKILL at random moments while
 * producers send and the dispatcher delivers, restarted, and checked for lost, unacknowledged or
 * doubly applied messages. Used by OutboxKillIT (a few cycles) and {@code bench/run kill-cycles}.
 */
package dev.holdfast.bench.crash;
