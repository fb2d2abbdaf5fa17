package dev.holdfast.provisioning.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that opens the data directory, does its work and closes it again. */
abstract class RuntimeCommand implements Callable<Integer> {
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
    try (ProvisioningRuntime rt = ProvisioningRuntime.open(data.dir, data.keyFile(), main().env)) {
      return run(rt);
    }
  }

  abstract int run(ProvisioningRuntime rt) throws Exception;
}
