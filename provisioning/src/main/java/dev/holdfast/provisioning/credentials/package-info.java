/**
 * The credentials of the fleet's own parties, apart from the CA that signs them: the services' TLS
 * keys and certificates (API, broker, the service's MQTT client), operators' MQTT client
 * certificates, the command-signing key, and the throwaway certificate that takes a revoked device's
 * session over (key in memory only, recorded revoked at once). Kept sealed in the registry; never written to a file here.
 */
package dev.holdfast.provisioning.credentials;
