/**
 * The fleet CA: root and issuing CA (EC P-256), CSR policy, device and server certificates with
 * random serials, operators' client certificates, revocation and the CRL the broker reads. Private keys live only in the registry's
 * sealed secrets and in memory; nothing here writes a private key to a file.
 */
package dev.holdfast.provisioning.ca;
