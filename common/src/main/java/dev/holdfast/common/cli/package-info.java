/** Exit codes of both programs, and the mapping of the causes they share. */
package dev.holdfast.common.cli;
