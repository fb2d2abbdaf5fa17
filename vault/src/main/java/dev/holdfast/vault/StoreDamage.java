package dev.holdfast.vault;

import java.io.UncheckedIOException;
import java.util.Locale;
import org.mapdb.DBException;

/**
 * What a storage engine failure means for the person who reads it. MapDB's own messages name its
 * API and advise settings that hide damage ("Use DBMaker.checksumHeaderBypass() ..."): they must
 * never reach an operator. Each kind of failure gets one phrase of ours; the exception itself is
 * kept as the cause for the debug log.
 */
final class StoreDamage {
  private StoreDamage() {}

  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException u) {
      return "it could not be read (" + u.getCause().getMessage() + ")";
    }
    String engine = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (engine.contains("header checksum")) {
      return "its header does not match its checksum (the file was changed or torn outside a commit)";
    }
    if (e instanceof DBException.PointerChecksumBroken) {
      return "an index entry does not match its checksum";
    }
    if (e instanceof DBException.NewMapDBFormat) {
      return "it was written by a newer storage format than this version reads";
    }
    if (e instanceof DBException.DataCorruption || e instanceof DBException.VolumeEOF) {
      return "its index points outside the data it holds";
    }
    return "its structure cannot be read (" + e.getClass().getSimpleName() + ")";
  }
}
