package dev.holdfast.bench.demo;

import dev.holdfast.bench.fleet.FakeSmsProvider;
import dev.holdfast.bench.fleet.Fleet;
import dev.holdfast.bench.fleet.ProvisioningProcess;
import dev.holdfast.bench.support.AgentProcess;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code demo --keep}: says how to talk to the running fleet, then prints SMS arrivals until Ctrl-C. */
final class Keep {
  private Keep() {}

  static void holdOpen(DemoStory story) throws InterruptedException {
    Fleet fleet = story.fleet();
    Narrator say = story.narrator();
    if (fleet == null) {
      return;
    }
    say.plain("");
    say.plain("Everything keeps running in " + story.dir() + " until Ctrl-C (then it is all removed).");
    for (Device d : story.devices()) {
      String agent = "java -jar " + AgentProcess.JAR + " --config " + d.agent().home().resolve("agent.conf")
          + " --data-dir " + d.agent().dataDir() + " --key-file " + d.agent().home().resolve("store.key");
      say.plain("  " + d.name() + " (" + d.id() + "):");
      say.plain("    printf 'hello' | " + agent + " send sms --to " + d.number() + " --body-file -");
      say.plain("    " + agent + " status");
    }
    ProvisioningProcess p = fleet.provisioning();
    say.plain("  the fleet side: java -jar " + ProvisioningProcess.JAR + " --dir " + p.dataDir() + " --key-file "
        + p.keyFile() + " devices list   (serve holds the data directory: stop it first, or read its log "
        + p.serveLog() + ")");
    OperatorView.describe(fleet).forEach(line -> say.plain("  " + line));
    say.plain("SMS arriving at the provider are printed below.");
    int seen = fleet.sms().received().size();
    while (!Thread.currentThread().isInterrupted()) {
      List<FakeSmsProvider.Sms> all = fleet.sms().received();
      for (FakeSmsProvider.Sms sms : all.subList(seen, all.size())) {
        say.say("provider received: to " + sms.to() + ": \"" + String.valueOf(sms.body()).replace("\n", "\\n") + "\"");
      }
      seen = all.size();
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }
}
