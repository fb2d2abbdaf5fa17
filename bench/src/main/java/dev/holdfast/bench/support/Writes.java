package dev.holdfast.bench.support;

import java.io.IOException;

/**
 * Bytes written so far: at the scratch disk's block device (everything, the file system's journal
 * included; -1 when the disk is not isolated) and by one process (its own data only).
 */
public record Writes(long device, long process) {
  public static Writes now(ScratchDisk disk, long pid) throws IOException, InterruptedException {
    long device = disk.deviceBytesWritten();
    return new Writes(device, ScratchDisk.processBytesWritten(pid));
  }

  public Writes since(Writes before) {
    return new Writes(device < 0 ? -1 : device - before.device, process - before.process);
  }

  /** Bytes per {@code n} (records): at the device if known, else the process's. */
  public double per(long n) {
    return (double) (device >= 0 ? device : process) / Math.max(1, n);
  }

  public double processPer(long n) {
    return (double) process / Math.max(1, n);
  }
}
