package dev.holdfast.agent.cli;

import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.agent.local.LocalError;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code holdfast-agent rotate}: asks the running agent to rotate its credentials now. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = {"Asks the running agent to rotate its certificate and API key now (docs/rotation.md).",
        "Returns at once; 'holdfast-agent status' shows the rotation's step and its result.",
        "Needs the running agent: the rotation goes over its MQTT link to the provisioning service."})
final class RotateCommand implements Callable<Integer> {
  @ParentCommand AgentCommand root;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> answer;
    try (LocalApiClient client = LocalApiClient.connect(root.loadConfig().socket())) {
      answer = client.call(Map.of("op", "rotate"));
    } catch (IOException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "the agent is not running (" + e.getMessage() + "); start it "
          + "('systemctl start holdfast-agent'): a rotation needs its MQTT link");
    }
    if (!Boolean.TRUE.equals(answer.get("ok"))) {
      LocalError error = LocalError.fromWire(String.valueOf(answer.get("error")));
      String message = error == LocalError.BAD_REQUEST
          ? "the running agent does not rotate: it is not enrolled or has no MQTT link (mqtt.broker)"
          : String.valueOf(answer.get("message"));
      throw new CliException(ExitCodes.of(error), message);
    }
    root.context.out().println("rotation started; see 'holdfast-agent status'");
    return 0;
  }
}
