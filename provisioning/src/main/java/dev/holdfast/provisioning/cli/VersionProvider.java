package dev.holdfast.provisioning.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, the project's version as the agent reports it ("dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"holdfast-provisioning " + (version == null ? "dev" : version)};
  }
}
