package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.config.GpioInput;
import dev.holdfast.agent.gpio.Gpio;
import dev.holdfast.agent.gpio.GpioHardware;
import dev.holdfast.agent.gpio.InputMessages;
import dev.holdfast.agent.gpio.InputSender;
import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.agent.local.LocalError;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code holdfast-agent gpio list|test}: a technician's checks after wiring (docs/gpio.md). */
@Command(name = "gpio", mixinStandardHelpOptions = true,
    description = {"The configured GPIO pins: their levels, and a test message from an input.",
        "Asks the running agent (which holds the pins); with none running, uses the pins and the vault directly."},
    subcommands = {GpioCommand.ListPins.class, GpioCommand.Test.class})
final class GpioCommand implements Runnable {
  @ParentCommand AgentCommand root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to do: 'gpio list' or 'gpio test INPUT' (see --help)");
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"Lists the configured pins with the level each input reads now.",
          "Shows GPIO number, header pin and use of each pin, and what the status LED shows.",
          "Press a switch and run it again to see the level change."})
  static final class ListPins implements Callable<Integer> {
    @ParentCommand GpioCommand gpio;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = gpio.root.context;
      AgentConfig config = gpio.root.loadConfig();
      if (!config.gpio().configured()) {
        ctx.out().println(json ? "{\"pins\":[]}" : "no GPIO pins are configured (gpio.* settings, docs/gpio.md)");
        return 0;
      }
      List<Map<String, Object>> pins = pins(config);
      if (json) {
        ctx.out().println(Json.write(Map.of("pins", pins)));
        return 0;
      }
      ctx.out().printf("%-5s %-7s %-14s %-6s %s%n", "GPIO", "HEADER", "NAME", "ROLE", "LEVEL / SHOWING");
      for (Map<String, Object> p : pins) {
        Object header = p.get("header_pin");
        String state = p.get("role").equals("input")
            ? p.get("level") + " (pull " + p.get("pull") + ", edge " + p.get("edge") + ", " + p.get("channel") + ")"
            : String.valueOf(p.get("showing"));
        ctx.out().printf("%-5s %-7s %-14s %-6s %s%n", p.get("gpio"), header == null ? "-" : header, p.get("name"),
            p.get("role"), state);
      }
      return 0;
    }

    /** From the running agent, or (none running) by claiming the inputs for a moment. */
    private List<Map<String, Object>> pins(AgentConfig config) throws Exception {
      Map<String, Object> response;
      try (LocalApiClient client = LocalApiClient.connect(config.socket())) {
        response = client.call(Map.of("op", "gpio-list"));
      } catch (IOException agentNotRunning) {
        try (Gpio pins = Gpio.open(config.gpio(), GpioHardware.system(), false, GpioWiring.thread(),
            gpio.root.context.clock())) {
          return pins.list();
        }
      }
      if (!Boolean.TRUE.equals(response.get("ok"))) {
        throw new CliException(ExitCodes.of(LocalError.fromWire(String.valueOf(response.get("error")))),
            String.valueOf(response.get("message")));
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> pins = (List<Map<String, Object>>) response.get("pins");
      return pins;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = {"Queues one input's message once, as if its edge had happened now.",
          "Prints the record id: a check that the message reaches its receiver, without touching the wiring.",
          "Example: holdfast-agent gpio test door"})
  static final class Test implements Callable<Integer> {
    @ParentCommand GpioCommand gpio;

    @Parameters(paramLabel = "INPUT", description = "The input's name (gpio.input.NAME.*) or its GPIO number.")
    String input;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = gpio.root.context;
      AgentConfig config = gpio.root.loadConfig();
      for (GpioInput i : config.gpio().inputs()) {
        InputMessages.check(i, config.outbox().maxBodyBytes());
      }
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("op", "gpio-test");
      request.put("input", input);
      try (OutboxAccess access = OutboxAccess.open(ctx, config)) {
        Map<String, Object> response = access.callFeature(request, (vault, outbox) -> Map.of("gpio-test",
            r -> GpioWiring.test(config.gpio(), new InputSender(outbox, () -> deviceId(vault), Runnable::run),
                ctx.clock(), r)));
        ctx.out().println(response.get("id"));
      }
      return 0;
    }

    private static String deviceId(Vault vault) {
      try {
        Optional<CredentialSet> current = new IdentityStore(vault).current();
        current.ifPresent(set -> set.apiKey().destroy());
        return current.map(CredentialSet::deviceId).orElse(InputSender.UNENROLLED);
      } catch (VaultException e) {
        return InputSender.UNENROLLED;
      }
    }
  }
}
