package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.FsyncCount;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Untimed: fsync calls per enrollment, counted by strace over the whole JVM: once for whole
 * device-side enrollments over HTTPS (server and device), once for the server's enrollment alone
 * (in process, no HTTP, CSRs made before). The difference is the device's share.
 */
final class FsyncPass {
  /** fsync + fdatasync calls per enrollment; empty when strace could not attach. */
  record Counts(double whole, double server) {}

  private FsyncPass() {}

  static Optional<Counts> run(Fleet fleet, DeviceAgent agent, int count) throws Exception {
    Path dir = Files.createTempDirectory(fleet.dir, "strace-");
    List<Secret> tokens = fleet.tokens(2 * count);
    List<byte[]> csrs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPair k = P256.generate(fleet.random);
      csrs.add(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), k.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())).getEncoded());
    }
    long whole;
    try (FsyncCount trace = FsyncCount.attach(dir.resolve("whole.txt")).orElse(null)) {
      if (trace == null) {
        return Optional.empty();
      }
      for (int i = 0; i < count; i++) {
        agent.enroll(tokens.get(i), fleet.server(), fleet.root());
      }
      whole = trace.stop();
    }
    long server;
    try (FsyncCount trace = FsyncCount.attach(dir.resolve("server.txt")).orElse(null)) {
      if (trace == null) {
        return Optional.empty();
      }
      for (int i = 0; i < count; i++) {
        fleet.enrollment.enroll(new EnrollRequest(tokens.get(count + i), csrs.get(i)), "bench");
      }
      server = trace.stop();
    }
    return Optional.of(new Counts(whole / (double) count, server / (double) count));
  }
}
