/**
 * Third-party credentials the agent keeps for its senders (an SMS provider's token, a webhook
 * signing secret): one hidden-key vault collection. Never prints, logs or stores a value in clear.
 */
package dev.holdfast.agent.secrets;
