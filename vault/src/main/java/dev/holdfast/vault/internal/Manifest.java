package dev.holdfast.vault.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the vault holds, as its last commit left it, sealed in the meta map: the commit's
 * generation, and per collection the number of records and the sum (mod 2<sup>256</sup>) of
 * their {@link RecordSealer#term terms}. Each commit updates it in the same transaction, by the
 * records it wrote and removed, so keeping it costs nothing per record already there; opening the
 * vault adds up every record's term (no decryption) and compares.
 *
 * <p>A record written back with an older sealed value has another generation, so another term; a
 * deleted or re-added one changes the count and the sum. Only the key holder can compute a term,
 * so nobody else can make the sums agree again. What it cannot see: the whole file (with its
 * journals) replaced by an older copy, manifest and all; see docs/vault.md.
 */
public final class Manifest {
  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
  private static final int VERSION = 1;

  private long generation;
  private final TreeMap<String, Totals> collections;

  /** One collection's record count and digest. */
  public record Totals(long count, BigInteger digest) {
    Totals add(byte[] term, int sign) {
      BigInteger d = digest.add(sign > 0 ? new BigInteger(1, term) : new BigInteger(1, term).negate()).mod(MODULUS);
      return new Totals(count + sign, d);
    }
  }

  private Manifest(long generation, TreeMap<String, Totals> collections) {
    this.generation = generation;
    this.collections = collections;
  }

  public static Manifest empty() {
    return new Manifest(0, new TreeMap<>());
  }

  public Manifest copy() {
    return new Manifest(generation, new TreeMap<>(collections));
  }

  public long generation() {
    return generation;
  }

  public void generation(long g) {
    this.generation = g;
  }

  /** Counts in a record that is now in {@code storedName}. */
  public void added(String storedName, byte[] term) {
    collections.merge(storedName, new Totals(0, BigInteger.ZERO).add(term, 1), (a, b) -> a.add(term, 1));
  }

  /** Counts out a record that is no longer in {@code storedName}. */
  public void removed(String storedName, byte[] term) {
    Totals t = collections.getOrDefault(storedName, new Totals(0, BigInteger.ZERO)).add(term, -1);
    if (t.count() == 0 && t.digest().signum() == 0) {
      collections.remove(storedName);
    } else {
      collections.put(storedName, t);
    }
  }

  public Map<String, Totals> collections() {
    return java.util.Collections.unmodifiableMap(collections);
  }

  /**
   * How {@code found} (what the file holds) differs from this manifest, one sentence per
   * collection, naming the collection by its stored name; empty when they agree.
   */
  public List<String> differences(Manifest found) {
    List<String> out = new ArrayList<>();
    Set<String> names = new TreeSet<>(collections.keySet());
    names.addAll(found.collections.keySet());
    for (String name : names) {
      String shown = "'" + name.substring(name.indexOf('.') + 1) + "'";
      Totals want = collections.getOrDefault(name, new Totals(0, BigInteger.ZERO));
      Totals have = found.collections.getOrDefault(name, new Totals(0, BigInteger.ZERO));
      if (want.count() != have.count()) {
        long d = have.count() - want.count();
        out.add(shown + ": " + Math.abs(d) + (d < 0 ? " record(s) missing" : " record(s) more")
            + " than the last commit left (" + want.count() + " expected)");
      } else if (!want.digest().equals(have.digest())) {
        out.add(shown + ": record(s) replaced by other or older versions (" + want.count() + " records)");
      }
    }
    return out;
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      out.writeLong(generation);
      out.writeInt(collections.size());
      for (Map.Entry<String, Totals> e : collections.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
        out.writeLong(e.getValue().count());
        byte[] digest = e.getValue().digest().toByteArray();
        out.writeByte(digest.length);
        out.write(digest);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IOException when the bytes are not a manifest this code wrote */
  public static Manifest decode(byte[] encoded) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
      if (in.readInt() != VERSION) {
        throw new IOException("unknown manifest version");
      }
      long generation = in.readLong();
      int n = in.readInt();
      TreeMap<String, Totals> collections = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        byte[] name = in.readNBytes(in.readUnsignedShort());
        long count = in.readLong();
        byte[] digest = in.readNBytes(in.readUnsignedByte());
        collections.put(new String(name, StandardCharsets.UTF_8), new Totals(count, new BigInteger(digest)));
      }
      if (in.read() != -1) {
        throw new IOException("trailing bytes after the manifest");
      }
      return new Manifest(generation, collections);
    }
  }
}
