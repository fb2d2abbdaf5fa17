/**
 * How the vault lays bytes on disk: the journaled MapDB volume, record sealing and metadata.
 * Nothing outside {@code dev.holdfast.vault} uses these classes.
 */
package dev.holdfast.vault.internal;
