package dev.holdfast.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the broker files the project ships, by walking up from the working directory. */
public final class ShippedFiles {
  static final String CONF = "systemd/mosquitto/holdfast.conf";
  static final String ACL = "systemd/mosquitto/holdfast.acl";

  private ShippedFiles() {}

  /** The shipped {@code systemd/mosquitto/holdfast.conf}. */
  public static Path conf() {
    return projectRoot().resolve(CONF);
  }

  /** The shipped {@code systemd/mosquitto/holdfast.acl}. */
  public static Path acl() {
    return projectRoot().resolve(ACL);
  }

  /** The nearest directory at or above {@code user.dir} that holds {@value #CONF}. */
  public static Path projectRoot() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(CONF))) {
        return dir;
      }
    }
    throw new IllegalStateException("no " + CONF + " in " + start + " or any parent directory;"
        + " run the tests from inside the Holdfast source tree");
  }
}
