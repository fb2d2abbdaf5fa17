/** Durations as people write them ({@code 500ms} to {@code 30d}, or ISO-8601). Pure. */
package dev.holdfast.common.time;
