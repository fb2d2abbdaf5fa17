/**
 * Test-only support: a real Mosquitto process started from the installed binary with the shipped
 * configuration (templated with free loopback ports and temp paths), and a small test PKI. Owns no
 * product behaviour; product modules depend on it in test scope only.
 */
package dev.holdfast.testkit;
