package dev.holdfast.agent.outbox;

import java.time.Instant;
import java.util.Optional;

/**
 * A record without its destination and body: what {@code list} shows, read from memory alone.
 *
 * @param bytes the body's length
 */
public record RecordSummary(
    RecordId id,
    Channel channel,
    int bytes,
    Instant created,
    Instant expires,
    int attempts,
    Instant nextAttempt,
    Optional<String> lastError,
    boolean dead) {}
