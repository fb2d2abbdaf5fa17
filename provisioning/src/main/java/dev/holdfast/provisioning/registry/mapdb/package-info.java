/**
 * The embedded registry: the aggregates of {@code registry} in one sealed vault file, with the
 * records' binary codecs ({@code RecordWriter}/{@code RecordReader}, explicit stored names, a
 * version byte). Nothing outside this package knows about MapDB or the vault's collections.
 */
package dev.holdfast.provisioning.registry.mapdb;
