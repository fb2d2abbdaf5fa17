package dev.holdfast.vault;

import java.util.List;

/**
 * The outcome of authenticating every record.
 *
 * @param badRecords each record that failed, by collection and id (for hidden-key collections the
 *     id is {@code #} and the first bytes of the stored HMAC, since the real key is sealed)
 */
public record VerifyReport(long recordsChecked, List<BadRecord> badRecords) {
  public VerifyReport {
    badRecords = List.copyOf(badRecords);
  }

  public boolean ok() {
    return badRecords.isEmpty();
  }

  /** One record that did not authenticate. */
  public record BadRecord(String collection, String id, String problem) {}
}
