/**
 * The {@code holdfast-agent} command line: parsing, wiring, output and exit codes. Commands call
 * the capabilities (vault, configuration); no capability calls back into this package.
 */
package dev.holdfast.agent.cli;
