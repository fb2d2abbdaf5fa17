package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.credentials.OperatorRole;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The role table against the command tree, and what the admin API refuses before running anything. */
class CommandRolesTest {
  static List<String> leaves(CommandLine c, String prefix) {
    List<String> out = new ArrayList<>();
    if (c.getSubcommands().isEmpty() || c.getCommandSpec().userObject() instanceof RuntimeCommand) {
      if (!prefix.isEmpty()) {
        out.add(prefix);
      }
    }
    c.getSubcommands().forEach((name, sub) -> out.addAll(leaves(sub, prefix.isEmpty() ? name : prefix + " " + name)));
    return out;
  }

  static List<String> commands() {
    return leaves(new CommandLine(new Main(Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), new ByteArrayInputStream(new byte[0]))), "");
  }

  @Test
  void everyCommandOfTheTreeIsEitherInTheRoleTableOrHostOnly() {
    List<String> all = commands();

    assertThat(all).contains("tokens create", "devices list", "relay", "relay set-auth-token", "audit");
    for (String path : all) {
      assertThat(CommandRoles.ROLES.containsKey(path) || CommandRoles.HOST_ONLY.contains(path))
          .as("'%s' must be in CommandRoles.ROLES or CommandRoles.HOST_ONLY", path).isTrue();
      assertThat(CommandRoles.ROLES.containsKey(path) && CommandRoles.HOST_ONLY.contains(path))
          .as("'%s' is in both tables", path).isFalse();
    }
    Set<String> known = new HashSet<>(CommandRoles.ROLES.keySet());
    known.addAll(CommandRoles.HOST_ONLY);
    assertThat(all).as("no stale entry in the tables").containsAll(known);
  }

  @Test
  void readingCommandsNeedViewerAndChangingOnesNeedAdmin() {
    assertThat(CommandRoles.needed("devices list")).contains(OperatorRole.VIEWER);
    assertThat(CommandRoles.needed("keys list")).contains(OperatorRole.VIEWER);
    assertThat(CommandRoles.needed("audit")).contains(OperatorRole.VIEWER);
    assertThat(CommandRoles.needed("tokens create")).contains(OperatorRole.ADMIN);
    assertThat(CommandRoles.needed("revoke")).contains(OperatorRole.ADMIN);
    assertThat(CommandRoles.needed("operators add")).contains(OperatorRole.ADMIN);
    assertThat(CommandRoles.needed("serve")).isEmpty();
    assertThat(OperatorRole.ADMIN.allows(OperatorRole.VIEWER)).isTrue();
    assertThat(OperatorRole.VIEWER.allows(OperatorRole.ADMIN)).isFalse();
  }

  @Test
  void optionsThatNameTheHostsFilesAreFoundInEitherSpelling() {
    assertThat(CommandRoles.hostOption(List.of("devices", "list", "--dir", "/x"))).contains("--dir");
    assertThat(CommandRoles.hostOption(List.of("devices", "list", "--key-file=/k"))).contains("--key-file");
    assertThat(CommandRoles.hostOption(List.of("audit", "--config", "c"))).contains("--config");
    assertThat(CommandRoles.hostOption(List.of("tokens", "create", "--profile", "default"))).isEqualTo(Optional.empty());
    assertThat(CommandRoles.hostOption(List.of("devices", "show", "--", "--dir"))).isEmpty();
  }
}
