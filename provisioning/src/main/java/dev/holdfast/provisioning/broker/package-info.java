/**
 * What the fleet broker reads and how it is told: the CA chain, its server certificate and key and
 * the CRL under fixed names, the ACL generated from the shipped base ACL (embedded byte for byte)
 * plus one read-only block per operator, the files an operator is handed, and SIGHUP through the
 * broker's pid file. Every file is checked and replaced atomically. It decides nothing about who is
 * revoked or who is an operator (that is the CA's and the registry's).
 */
package dev.holdfast.provisioning.broker;
