/**
 * The credentials of the fleet's own parties, apart from the CA that signs them: the services' TLS
 * keys and certificates (API, broker, the service's MQTT client), operators' MQTT client
 * certificates, and the command-signing key. Kept sealed in the registry; never written to a file here.
 */
package dev.holdfast.provisioning.credentials;
