/**
 * What the fleet broker reads and how it is told: the CA chain, its server certificate and key and
 * the CRL under fixed names, the ACL generated from the shipped base ACL (embedded byte for byte)
 * plus one read-only block per operator and a deny block per revoked device, the files an operator
 * is handed, SIGHUP through the broker's pid file (a failure is an error), and {@code BrokerSync},
 * which brings the broker up to date and clears the registry's pending-reload record. Every file is
 * checked and replaced atomically. It decides nothing about who is revoked or who is an operator
 * (that is the CA's and the registry's).
 */
package dev.holdfast.provisioning.broker;
