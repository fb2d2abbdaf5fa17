package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.SectionedReport;
/** The markdown of part 2. */
final class OnlineReport {
  private OnlineReport() {}

  static String markdown(OnlinePart.Runs r) {
    double base = r.version().medianMillis();
    StringBuilder md = new StringBuilder("## Agent start to retained online state\n\n").append(SectionedReport.machine())
        .append("- parameters: ").append(r.count()).append(" repetitions after a discarded warm-up, each the ")
        .append("baseline then the start; one agent (`holdfast-agent.jar`, `java -Xmx256m -jar`), enrolled once with ")
        .append("`enroll --token-file -` against the in-process API server\n")
        .append("- broker: Mosquitto ").append("(/usr/sbin/mosquitto) with the shipped `holdfast.conf` and ACL on ")
        .append("loopback, server certificate and CRL from the same fleet CA (`BrokerCertificates`)\n")
        .append("- timed from just before the process starts to the arrival of `holdfast/v1/devices/{id}/state` ")
        .append("with `\"online\":true` at a Paho v5 subscriber connected as the provisioning service ")
        .append("(CN `holdfast.provisioning`); the agent is stopped with SIGTERM between repetitions\n\n")
        .append("| phase | median ms | min ms | max ms | ratio to baseline (medians) |\n|---|---:|---:|---:|---:|\n");
    row(md, "`holdfast-agent --version` exits (baseline: JVM start)", r.version(), base);
    row(md, "`holdfast-agent run`: local socket answers a status call", r.socket(), base);
    row(md, "`holdfast-agent run`: retained `online:true` received", r.online(), base);
    return md.append("\n").append(EXPLANATION).toString();
  }

  private static void row(StringBuilder md, String name, Latencies l, double base) {
    md.append("| ").append(name).append(" | ").append(SectionedReport.number(l.medianMillis())).append(" | ")
        .append(SectionedReport.number(l.quantileMillis(0))).append(" | ").append(SectionedReport.number(l.quantileMillis(1))).append(" | ")
        .append(SectionedReport.number(l.medianMillis() / base)).append(" |\n");
  }

  static final String EXPLANATION = """
      The baseline is the same JVM and jar doing nothing but printing its version: class loading of
      the command line and the JVM's own start and exit. On top of that, `run` opens the vault (its
      key file, the MapDB file, the sealed credential set), starts the outbox and the local API
      socket, then the MQTT link: a TLS handshake with the device's P-256 key and certificate chain,
      CONNECT with the last will, SUBSCRIBE to its command topic and the retained QoS 1 state publish,
      which the broker forwards to the subscriber. The socket row shows how much of the difference is
      the agent's own start before the link.

      """;
}
