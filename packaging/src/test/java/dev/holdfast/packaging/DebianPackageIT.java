package dev.holdfast.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two .deb files that {@code ./mvnw package} built: lintian finds no error, and in a throwaway
 * copy of this machine's root (an overlay in a private mount namespace, so the host is untouched)
 * they install with apt-get, run, keep the vault on {@code dpkg -r} and say what {@code dpkg
 * --purge} removes. Needs root; {@code ./holdfast test} and CI run as root.
 */
class DebianPackageIT {
  static Path debs;

  @BeforeAll
  static void built() {
    Processes.require("dpkg-deb", "dpkg");
    debs = Path.of(System.getProperty("holdfast.debs", "target"));
    assertThat(deb("holdfast-agent")).exists();
    assertThat(deb("holdfast-provisioning")).exists();
  }

  static Path deb(String pkg) {
    String version = System.getProperty("holdfast.deb.version", "0.1.0-SNAPSHOT").replace('-', '~');
    return debs.resolve(pkg + "_" + version + "_all.deb");
  }

  @Test
  void lintianFindsNoErrorInEitherPackage() throws Exception {
    String lintian = Processes.require("lintian", "lintian");
    Processes.Result r = Processes.run(600, List.of(lintian, "--allow-root", deb("holdfast-agent").toString(),
        deb("holdfast-provisioning").toString()));
    System.out.println("lintian:\n" + r.output());
    assertThat(r.output().lines().filter(l -> l.startsWith("E: "))).as(r.output()).isEmpty();
    assertThat(r.code()).as(r.output()).isZero();
  }

  @Test
  void installRunRemoveAndPurgeInAThrowawayRoot(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "installing packages needs root: run ./holdfast test (or this build) as root, as CI does");
    Path work = Files.createDirectory(tmp.resolve("sandbox"));
    Path sandbox = resource(tmp, "sandbox.sh");
    Path script = resource(tmp, "install-remove-purge.sh");
    Processes.Result r = Processes.run(900, List.of(Processes.require("unshare", "util-linux"), "--mount",
        "--propagation", "private", "bash", sandbox.toString(), work.toString(), debs.toAbsolutePath().toString(),
        script.toString()));
    System.out.println(r.output());
    assertThat(r.output()).as(r.output()).contains("ALL CHECKED").doesNotContain("FAIL:");
    assertThat(r.code()).isZero();
    String out = r.output();
    assertThat(out).contains("Usage: holdfast-agent", "Usage: holdfast-provisioning");
    String version = System.getProperty("holdfast.deb.version", "0.1.0-SNAPSHOT");
    assertThat(out).contains("holdfast-agent " + version, "holdfast-provisioning " + version);
    assertThat(out).contains("holdfast-agent: kept /var/lib/holdfast (the vault");
    assertThat(out).contains("holdfast-agent: removed /var/lib/holdfast (the vault",
        "holdfast-agent: removed /etc/holdfast (the configuration)");
    assertThat(out).contains("holdfast-provisioning: kept /var/lib/holdfast-provisioning (the fleet's CA keys");
    try (Stream<String> lines = out.lines()) {
      assertThat(lines.filter(l -> l.equals("verified"))).hasSize(2);
    }
  }

  private static Path resource(Path dir, String name) throws Exception {
    Path file = dir.resolve(name);
    try (InputStream in = Objects.requireNonNull(DebianPackageIT.class.getResourceAsStream(name))) {
      Files.copy(in, file);
    }
    return file;
  }
}
