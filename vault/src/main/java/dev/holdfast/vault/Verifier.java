package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.vault.internal.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * Authenticates every record of every collection and lists the ones that fail, then compares what
 * the file holds with the last commit's manifest (records rolled back, deleted or added).
 */
final class Verifier {
  private Verifier() {}

  /** @param committed the last commit's manifest, or null for a format-1 vault (which has none) */
  static VerifyReport verify(Vault vault, DB db, Manifest committed) {
    long checked = 0;
    List<VerifyReport.BadRecord> bad = new ArrayList<>();
    for (String name : db.getAllNames()) {
      if (!Vault.isCollection(name)) {
        continue;
      }
      String collection = Vault.collectionOf(name);
      boolean hidden = Vault.isHidden(name);
      try {
        BTreeMap<byte[], byte[]> m = db.treeMap(name, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
        for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
          checked++;
          try {
            vault.openSealed(collection, hidden, e.getKey(), e.getValue());
          } catch (AuthenticationFailedException ex) {
            bad.add(new VerifyReport.BadRecord(collection, idOf(e.getKey(), hidden), ex.getMessage()));
          }
        }
      } catch (RuntimeException ex) {
        bad.add(new VerifyReport.BadRecord(collection, "*",
            "collection structure unreadable (" + ex.getClass().getSimpleName() + ")"));
      }
    }
    if (committed != null) {
      for (String difference : StoreIntegrity.differences(committed, StoreIntegrity.scan(db, vault.sealer()))) {
        bad.add(new VerifyReport.BadRecord("*", "*", difference + " (rolled back, deleted or added outside Holdfast)"));
      }
    }
    return new VerifyReport(checked, bad);
  }

  /** How a record is named in reports: printable keys as text, others in hex. */
  static String idOf(byte[] storedKey, boolean hidden) {
    if (hidden) {
      return "#" + HexFormat.of().formatHex(Arrays.copyOf(storedKey, Math.min(6, storedKey.length)));
    }
    for (byte b : storedKey) {
      if (b < 0x20 || b > 0x7e) {
        return HexFormat.of().formatHex(storedKey);
      }
    }
    return new String(storedKey, StandardCharsets.US_ASCII);
  }
}
