/** The Twilio Messages API client both the agent and the relay send with. */
package dev.holdfast.common.sms;
