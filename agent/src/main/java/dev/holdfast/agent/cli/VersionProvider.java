package dev.holdfast.agent.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest ("dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = AgentCommand.class.getPackage().getImplementationVersion();
    return new String[] {"holdfast-agent " + (version == null ? "dev" : version)};
  }
}
