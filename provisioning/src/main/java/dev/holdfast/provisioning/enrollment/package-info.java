/**
 * Enrollment at the factory bench: a one-time token and a CSR become a device, its certificate and
 * its API key (sealed to the device's key) in one registry transaction, or the refusal the device
 * is told ({@code EnrollError.Code}). It uses the CA, the tokens and the API keys through their
 * interfaces and owns none of their records.
 */
package dev.holdfast.provisioning.enrollment;
