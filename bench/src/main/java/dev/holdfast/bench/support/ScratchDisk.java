package dev.holdfast.bench.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a storage benchmark writes. Run as root, it is an ext4 file system of its own, made in an
 * image file and mounted through a loop device with direct I/O: the device's counters then hold
 * this benchmark's writes and nothing else on the machine — its data, and the file system's
 * journal and metadata too, which no per-process counter sees. Otherwise it is a plain directory
 * and only per-process counters are available.
 */
public final class ScratchDisk implements AutoCloseable {
  private final Path root;
  private final Path image;
  private final String device;
  private final Path stat;

  private ScratchDisk(Path root, Path image, String device, Path stat) {
    this.root = root;
    this.image = image;
    this.device = device;
    this.stat = stat;
  }

  /** A file system of {@code bytes} under {@code base} (a loop device if this runs as root, else a directory). */
  public static ScratchDisk under(Path base, long bytes) throws IOException, InterruptedException {
    Files.createDirectories(base);
    Path mount = base.resolve("disk");
    if (!"0".equals(run("id", "-u").strip()) || run("sh", "-c", "command -v losetup mkfs.ext4 | wc -l").strip()
        .equals("0")) {
      Files.createDirectories(mount);
      return new ScratchDisk(mount, null, null, null);
    }
    run("sh", "-c", "umount " + mount + " 2>/dev/null; true");
    Path image = base.resolve("disk.img");
    Files.deleteIfExists(image);
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(bytes);
    }
    // inode tables and journal written now, not by a kernel thread in the middle of a figure
    check("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", image.toString());
    String dev = check("losetup", "--direct-io=on", "-f", "--show", image.toString()).strip();
    Files.createDirectories(mount);
    check("mount", dev, mount.toString());
    return new ScratchDisk(mount, image, dev, Path.of("/sys/block", Path.of(dev).getFileName().toString(), "stat"));
  }

  public Path root() {
    return root;
  }

  /** Whether {@link #deviceBytesWritten()} counts this benchmark's writes alone. */
  public boolean isolated() {
    return stat != null;
  }

  public String describe() {
    return isolated()
        ? "an ext4 file system of its own (" + device + ", direct I/O to an image on the machine's disk), so the"
            + " block device counts this benchmark's writes alone, the file system's journal included"
        : "a directory on the machine's disk (not root: no loop device; bytes are the processes' own, from"
            + " /proc/PID/io, without the file system's journal)";
  }

  /** Bytes written to the device so far, after the file system's pending metadata is written; -1 if not isolated. */
  public long deviceBytesWritten() throws IOException, InterruptedException {
    if (stat == null) {
      return -1;
    }
    check("sync", "-f", root.toString());
    String[] f = Files.readString(stat).trim().split("\\s+");
    return Long.parseLong(f[6]) * 512; // sectors written
  }

  /** Bytes a process caused to be written to storage ({@code write_bytes} of /proc/PID/io). */
  public static long processBytesWritten(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
      if (line.startsWith("write_bytes:")) {
        return Long.parseLong(line.substring("write_bytes:".length()).trim());
      }
    }
    throw new IOException("no write_bytes in /proc/" + pid + "/io");
  }

  /** Bytes allocated to the files under {@code dir} ({@code du}). */
  public static long allocatedBytes(Path dir) throws IOException, InterruptedException {
    return Long.parseLong(check("du", "-s", "-B1", dir.toString()).split("\\s+")[0]);
  }

  @Override
  public void close() throws IOException {
    if (device != null) {
      try {
        run("umount", root.toString());
        run("losetup", "-d", device);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(image);
    }
  }

  private static String check(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    return out;
  }
}
