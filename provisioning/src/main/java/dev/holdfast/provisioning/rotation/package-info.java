/**
 * Credential rotation on the service side: answers a device's renew (new certificate and API key,
 * the old ones still valid) and confirm (old certificate and key revoked, the CRL republished), each
 * in one registry transaction, idempotent by request id. Uses the CA, the registry and the CRL
 * publisher through their public interfaces; never touches enrollment or the relay.
 */
package dev.holdfast.provisioning.rotation;
