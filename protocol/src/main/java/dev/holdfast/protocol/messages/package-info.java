/**
 * The messages both sides exchange — enrollment over HTTPS (or as files), commands and topics over
 * MQTT — with their JSON form, canonical bytes and signatures. Pure data and crypto: no I/O, no
 * knowledge of the vault, the registry or the broker.
 */
package dev.holdfast.protocol.messages;
