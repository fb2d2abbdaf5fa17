package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.GpioInput;
import dev.holdfast.agent.config.GpioSettings;
import java.time.Instant;

/**
 * One message an input asks for: a debounced edge ({@code repeat} 0) or a repeat while held.
 *
 * @param time when the level started to change (for an edge), or the repeat's time
 */
public record Firing(GpioInput input, GpioSettings.Edge edge, Instant time, int repeat) {}
