package dev.holdfast.provisioning.cli;

import dev.holdfast.common.config.ConfigException;
import dev.holdfast.vault.VaultException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that opens the data directory, does its work and closes it again; or, with {@code
 * --service}, sends itself to the running service's admin API; or, run by that API, works on the
 * service's open runtime.
 */
abstract class RuntimeCommand implements Callable<Integer> {
  /** Added to "in use" (exit 75): what to do while a service holds the data directory. */
  static final String SERVICE_HINT = "a service is running: use --service https://HOST:8444 --operator DIR/NAME "
      + "(docs/operator-guide.md)";

  @Mixin DataDirOptions data;
  @Spec CommandSpec spec;

  Main main() {
    return (Main) spec.root().userObject();
  }

  PrintWriter out() {
    return main().out;
  }

  @Override
  public Integer call() throws Exception {
    Main main = main();
    if (main.runtime.isPresent()) {
      return run(main.runtime.get());
    }
    Optional<String> service = data.service(main.env);
    if (service.isPresent()) {
      return AdminClient.send(service.get(), data.operator(main.env), main, spec);
    }
    try (ProvisioningRuntime rt = open()) {
      return run(rt);
    }
  }

  private ProvisioningRuntime open() throws VaultException, ConfigException {
    try {
      return ProvisioningRuntime.open(data.dir, data.keyFile(), main().env);
    } catch (VaultException e) {
      if (e.reason() == VaultException.Reason.LOCKED) {
        throw new VaultException(e.reason(), e.getMessage() + "; " + SERVICE_HINT, e);
      }
      throw e;
    }
  }

  abstract int run(ProvisioningRuntime rt) throws Exception;
}
