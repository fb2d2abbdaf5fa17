package dev.holdfast.agent.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code holdfast-agent run}: the long-running agent (systemd's ExecStart). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs the agent: opens the vault, serves the local API on the socket, and delivers the outbox.",
        "Stops cleanly on SIGTERM: attempts in flight finish or stay queued, nothing is lost, the vault is closed."})
final class RunCommand implements Callable<Integer> {
  @ParentCommand AgentCommand root;

  @Override
  public Integer call() throws Exception {
    AgentRuntime runtime = AgentRuntime.start(root.context, root.loadConfig());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }
}
