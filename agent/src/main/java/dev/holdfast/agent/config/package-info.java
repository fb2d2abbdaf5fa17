/**
 * The agent's configuration: the {@code key = value} file, its known settings, and the validated
 * {@link dev.holdfast.agent.config.AgentConfig} record. Reads files; starts nothing.
 */
package dev.holdfast.agent.config;
