/**
 * The fleet CA: root and issuing CA (EC P-256), CSR policy, device, server and operator certificates
 * with random serials, revocation and the CRL the broker reads. Private keys live only in the
 * registry's sealed secrets and in memory; nothing here writes a private key to a file.
 */
package dev.holdfast.provisioning.ca;
