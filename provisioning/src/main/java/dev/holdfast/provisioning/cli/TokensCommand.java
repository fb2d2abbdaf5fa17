package dev.holdfast.provisioning.cli;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.tokens.TokenService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", mixinStandardHelpOptions = true, description = "One-time enrollment tokens for the bench.",
    subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand {
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create one-time tokens for a profile; they are printed once and stored only as HMACs.")
  static final class Create extends RuntimeCommand {
    @Option(names = "--count", defaultValue = "1", paramLabel = "N", description = "How many tokens. Default: 1.") int count;
    @Option(names = "--profile", required = true, paramLabel = "NAME",
        description = "Profile from the config file: certificate lifetime and key scopes.") String profile;
    @Option(names = "--ttl", paramLabel = "DURATION", description = "Default: tokens.default-ttl (24h).") String ttl;
    @Option(names = "--json", description = "JSON, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      List<TokenService.Created> made = ExitCodes.check(rt.tokens().create(count, rt.config.profile(profile),
          ttl == null ? rt.config.tokenTtl() : Options.duration("--ttl", ttl), rt.actor), ExitCodes::of);
      if (json) {
        out().println(Json.write(made.stream().map(c -> Json.object("id", c.token().id(), "token", c.token().reveal(),
            "profile", profile, "expires", c.record().expiresAt())).toList()));
      } else {
        made.forEach(c -> out().println(c.token().reveal()));
        out().println("# " + made.size() + " token(s), profile " + profile + ", expire "
            + made.get(0).record().expiresAt() + ". This is the only time they are shown.");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens by id and state.")
  static final class ListTokens extends RuntimeCommand {
    @Option(names = "--json", description = "JSON, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Instant now = rt.clock.instant();
      List<Map<String, Object>> rows = rt.tokens().list().stream().map((TokenRecord t) -> Render.token(t, now)).toList();
      out().println(Render.table(rows, json, "id", "profile", "state", "expires", "redeemed_by"));
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Withdraw an unused token.")
  static final class Revoke extends RuntimeCommand {
    @Parameters(paramLabel = "ID", description = "The token's public id (see tokens list).") String id;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      ExitCodes.check(rt.tokens().revoke(id, rt.actor), ExitCodes::of);
      out().println("token " + id + " revoked");
      return 0;
    }
  }
}
