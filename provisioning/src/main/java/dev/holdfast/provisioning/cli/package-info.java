/**
 * The {@code holdfast-provisioning} command line: parses arguments and the config file, wires the
 * features together in {@link dev.holdfast.provisioning.cli.ProvisioningRuntime} (the only place
 * with the real clock and randomness), and maps failures to one-line messages and sysexits codes.
 */
package dev.holdfast.provisioning.cli;
