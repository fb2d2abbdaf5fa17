/**
 * GPIO (docs/gpio.md): configured inputs whose debounced edges queue messages through the outbox,
 * and a status LED whose pattern follows the agent's state. The pins are behind {@link
 * dev.holdfast.agent.gpio.Pins}; {@link dev.holdfast.agent.gpio.Pi4jPins} is the only class that
 * touches Pi4J, and it is loaded only when a pin is configured. Reads the agent's state through
 * {@link dev.holdfast.agent.gpio.AgentView} snapshots; never changes the outbox but by enqueueing.
 */
package dev.holdfast.agent.gpio;
