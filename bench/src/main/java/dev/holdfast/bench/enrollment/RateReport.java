package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.SectionedReport;
/** The markdown of part 1. */
final class RateReport {
  private RateReport() {}

  static String markdown(RatePart.Result r) {
    StringBuilder md = new StringBuilder("## Enrollments per second\n\n").append(SectionedReport.machine())
        .append("- parameters: ").append(r.enrollmentsPerRound()).append(" enrollments and ")
        .append(r.postsPerRound()).append(" baseline POSTs per concurrency per round (split evenly over the N ")
        .append("agents), ").append(r.rounds()).append(" interleaved rounds after a warm-up; rates are the best round, ")
        .append("latencies pool every measured round; ").append(r.threads()).append(" server handler threads\n")
        .append("- one enrollment: the agent's `Enrollment` + `EnrollmentClient` against `POST /v1/enroll` of the ")
        .append("provisioning `ApiServer` in the same JVM: EC P-256 key + vault commit, CSR, a fresh TLS context and ")
        .append("HTTP client (new connection, full handshake), server enrollment, verification of the signed answer, ")
        .append("opening the sealed API key, vault commit of the credential set; each agent has its own vault file\n")
        .append("- transport: HTTPS over loopback (JDK `HttpsServer`, P-256 server certificate from the fleet CA, ")
        .append("client trusting only the fleet root); agents and server share the machine's CPUs\n\n")
        .append("| N agents | enrollments/s | median ms | p99 ms | bare HTTPS POST/s | POST median ms | POST p99 ms ")
        .append("| enroll/s ÷ POST/s | enroll/s ÷ CA bare sign/s |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    double sign = r.references()[0];
    for (RatePart.PerN p : r.perN()) {
      md.append("| ").append(p.agents).append(" | ").append(SectionedReport.number(p.enrollRate)).append(" | ")
          .append(SectionedReport.number(p.enroll.medianMillis())).append(" | ").append(SectionedReport.number(p.enroll.p99Millis()))
          .append(" | ").append(SectionedReport.number(p.postRate)).append(" | ").append(SectionedReport.number(p.post.medianMillis()))
          .append(" | ").append(SectionedReport.number(p.post.p99Millis())).append(" | ").append(SectionedReport.number(p.enrollRate / p.postRate))
          .append(" | ").append(SectionedReport.number(p.enrollRate / sign)).append(" |\n");
    }
    md.append("\nWhere one enrollment's time goes (medians, ms, on the device side of the wire):\n\n")
        .append("| N agents | key + vault commit + CSR | POST round trip (handshake + server) | verify + open key + ")
        .append("vault commit | server registry commits per enrollment |\n|---:|---:|---:|---:|---:|\n");
    for (RatePart.PerN p : r.perN()) {
      md.append("| ").append(p.agents).append(" | ").append(SectionedReport.number(p.request.medianMillis())).append(" | ")
          .append(SectionedReport.number(p.round.medianMillis())).append(" | ").append(SectionedReport.number(p.complete.medianMillis()))
          .append(" | ").append(SectionedReport.number(p.registryWrites / (double) p.enrollments)).append(" |\n");
    }
    md.append(r.fsyncs().map(f -> "\nfsync + fdatasync calls per enrollment, counted by `strace -f -c` over the "
        + "whole JVM in an untimed pass of " + r.fsyncCount() + " enrollments (N = 1): " + SectionedReport.number(f.whole())
        + " for a whole enrollment, " + SectionedReport.number(f.server()) + " of them the server's (`Enrollment.enroll` alone), "
        + SectionedReport.number(f.whole() - f.server()) + " the device's.\n")
        .orElse("\nfsync calls were not counted (strace missing, not allowed to attach, or `--fsync-count 0`).\n"));
    md.append("\nSingle-threaded references measured in the same run (").append(r.referenceCount())
        .append(" each):\n\n| operation | per second | ratio to CA bare sign |\n|---|---:|---:|\n");
    for (int i = 0; i < References.NAMES.length; i++) {
      md.append("| ").append(References.NAMES[i]).append(" | ").append(SectionedReport.number(r.references()[i])).append(" | ")
          .append(SectionedReport.number(r.references()[i] / sign)).append(" |\n");
    }
    return md.append("\n").append(EXPLANATION).toString();
  }

  static final String EXPLANATION = """
      Registry commits are counted by wrapping the server's registry: every `Registry.write` that
      returns is one durable MapDB commit. The server makes one per enrollment: token redemption,
      device, certificate, API key, sealing and the signed response share one transaction (see
      docs/decisions.md). The device makes two vault commits of its own, by construction of
      `IdentityStore`: the pending key before the CSR leaves, and the credential set with the pending
      key's removal. So each enrollment costs three durable commits (the fsync calls they make are
      counted above), a full TLS handshake (ECDHE + ECDSA on both sides), two EC key generations (the
      device key and the ephemeral key of the sealed box) and about six ECDSA signatures or
      verifications (CSR, proof of possession, certificate, response signature, chain and response
      checks on the device). The server's write lock serialises the enrollment transaction, so beyond
      the CPU count more agents add waiting, not throughput.

      """;
}
