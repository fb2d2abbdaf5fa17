package dev.holdfast.bench.relay;

import dev.holdfast.bench.support.DeviceCertificates;
import dev.holdfast.bench.support.NamedArgs;
import dev.holdfast.bench.support.QuietLogs;
import dev.holdfast.bench.support.SectionedReport;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.ca.CertificateTemplates;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.SerialNumbers;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * {@code bench/run issue [--count N] [--rounds R]}: device certificates issued per second from
 * CSRs by the fleet CA ({@code CsrPolicy.check}, then {@code CertificateAuthority.issue}: CSR
 * policy and proof of possession, 128-bit serial, sign, registry commit with an audit event), as a
 * ratio to a bare
 * Bouncy Castle sign of the same device template with a P-256 issuing key (no CSR check, no
 * registry), and to the CSR check alone, all in the same run, single-threaded (issuing is
 * serialised by the registry's write lock anyway).
 */
public final class IssueBenchmark {
  private IssueBenchmark() {}

  public static void run(String[] argv) throws Exception {
    NamedArgs args = new NamedArgs(argv, Map.of("count", 500, "rounds", 2), 1);
    int count = args.get("count");
    QuietLogs.toTempFile();
    try (BenchPki pki = new BenchPki()) {
      List<byte[]> csrs = new ArrayList<>();
      List<PublicKey> keys = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        KeyPair k = P256.generate(pki.random);
        keys.add(k.getPublic());
        csrs.add(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), k.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())).getEncoded());
      }
      KeyPair issuingKeys = P256.generate(pki.random);
      Instant now = pki.clock.instant();
      X509Certificate issuing = CertificateTemplates.sign(new CertificateTemplates.Spec("Bench Issuing CA",
          issuingKeys.getPublic(), SerialNumbers.random(pki.random), now, now.plus(Duration.ofDays(365)),
          CertificateTemplates.Usage.ISSUING_CA, List.of(), Optional.empty(), issuingKeys.getPrivate()), pki.random);
      String[] names = {"bare Bouncy Castle sign, device template (baseline)", "CSR check alone (parse, policy, "
          + "proof of possession)", "CA issue from CSR (check, sign, registry commit, audit)"};
      double[] best = new double[names.length];
      int device = 0;
      for (int round = 0; round <= args.get("rounds"); round++) {
        boolean warmUp = round == 0;
        int n = warmUp ? Math.max(1, count / 5) : count;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          CertificateTemplates.sign(new CertificateTemplates.Spec("bench-" + i, keys.get(i), SerialNumbers.random(
              pki.random), now, now.plus(Duration.ofDays(30)), CertificateTemplates.Usage.DEVICE, List.of(),
              Optional.of(issuing), issuingKeys.getPrivate()), pki.random);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          CsrPolicy.check(csrs.get(i));
        }
        long t2 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          DeviceCertificates.issue(pki.registry, pki.ca, csrs.get(i), Optional.of("bench-dev-" + device++), pki.random);
        }
        long t3 = System.nanoTime();
        double[] rates = {n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9), n / ((t3 - t2) / 1e9)};
        System.out.printf("%s:%n", warmUp ? "warm-up (discarded)" : "round " + round);
        for (int p = 0; p < names.length; p++) {
          System.out.printf("  %-60s %10s /s%n", names[p], SectionedReport.number(rates[p]));
          if (!warmUp) {
            best[p] = Math.max(best[p], rates[p]);
          }
        }
      }
      StringBuilder md = new StringBuilder("## Issuing: CSRs signed per second\n\n").append(SectionedReport.machine())
          .append("- parameters: ").append(count).append(" P-256 CSRs per round (made before timing), ")
          .append(args.get("rounds")).append(" rounds after a warm-up, best figure of each phase over the rounds reported, one thread\n\n")
          .append("| phase | per second | ratio to baseline |\n|---|---:|---:|\n");
      for (int p = 0; p < names.length; p++) {
        md.append("| ").append(names[p]).append(" | ").append(SectionedReport.number(best[p])).append(" | ")
            .append(SectionedReport.number(best[p] / best[0])).append(" |\n");
      }
      md.append("\nThe baseline signs the same extension set (`CertificateTemplates.Usage.DEVICE`, ECDSA P-256 with\n")
          .append("SHA-256) with a throwaway issuing key. The CA's issue adds the CSR check (one ECDSA verify) and a\n")
          .append("durable registry commit carrying the certificate record, the device and an audit event.\n\n");
      Report.RESULTS.writeSection("issue", md.toString());
    }
  }
}
