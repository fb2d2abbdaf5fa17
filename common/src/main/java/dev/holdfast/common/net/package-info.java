/** Socket factories the agent and the service hand to their MQTT clients. */
package dev.holdfast.common.net;
