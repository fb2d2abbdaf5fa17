/**
 * The fleet CA behind one narrow interface ({@link dev.holdfast.provisioning.ca.CertificateAuthority}:
 * issue, renew, revoke, CRL), revocation of a device or of the credentials a rotation replaces in the
 * caller's transaction ({@link dev.holdfast.provisioning.ca.Revocations}: certificates, API keys and the
 * pending broker reload together), its material ({@link dev.holdfast.provisioning.ca.FleetCa}: root,
 * issuing CA, keys only in memory), CSR policy, certificate templates and random serials. It
 * writes no files and signals no broker ({@code broker}), keeps no service or operator credentials
 * ({@code credentials}); nothing here writes a private key anywhere but the registry's sealed secrets.
 */
package dev.holdfast.provisioning.ca;
