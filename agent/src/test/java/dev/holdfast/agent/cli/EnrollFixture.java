package dev.holdfast.agent.cli;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.identity.PendingKey;
import dev.holdfast.agent.testing.EnrollServer;
import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An agent with a vault, a test fleet and its enrollment server on loopback. */
final class EnrollFixture implements AutoCloseable {
  static final String API_KEY = "hf_EnrolledKey7d3f9a1c2b4e6f80Zq";
  static final String DEVICE_ID = "dev-0123456789abcdef";
  final AgentFixture agent;
  final TestFleet fleet = TestFleet.create();
  final Path fleetRoot;
  final Path tokenFile;
  final String token = "hfe_" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36) + "TokenSecret";
  final EnrollServer server;

  EnrollFixture(Path home) throws Exception {
    agent = new AgentFixture(home);
    if (agent.agent("vault", "init").code() != 0) {
      throw new IllegalStateException("vault init failed");
    }
    fleetRoot = fleet.writeRoot(home.resolve("fleet-root.pem"));
    tokenFile = home.resolve("token");
    java.nio.file.Files.writeString(tokenFile, token + "\n");
    server = new EnrollServer(fleet.serverContext("127.0.0.1", "localhost"), this::enrolled);
  }

  EnrollServer.Answer enrolled(dev.holdfast.protocol.messages.EnrollRequest request) throws Exception {
    return new EnrollServer.Answer(200, fleet.respond(request, DEVICE_ID, API_KEY).toJson());
  }

  static EnrollServer.Answer refusal(EnrollError.Code code) {
    return new EnrollServer.Answer(code.status, new EnrollError(code, "refused by the test: " + code.wire).toJson());
  }

  /** {@code enroll} over HTTPS with the token file, plus {@code extra}. */
  AgentFixture.Result enroll(String... extra) {
    List<String> args = new ArrayList<>(List.of("enroll", "--token-file", tokenFile.toString(), "--server",
        server.url(), "--fleet-root", fleetRoot.toString()));
    args.addAll(List.of(extra));
    return agent.agent(args.toArray(String[]::new));
  }

  Optional<CredentialSet> current() throws Exception {
    try (Vault v = open()) {
      return new IdentityStore(v).current();
    }
  }

  Optional<PendingKey> pendingKey() throws Exception {
    try (Vault v = open()) {
      return new IdentityStore(v).pendingKey();
    }
  }

  Vault open() throws Exception {
    return Vault.open(agent.vaultFile(), MasterKeySource.ofKey(KeyFiles.read(agent.keyFile), "test key file"),
        new SecureRandom());
  }

  @Override
  public void close() {
    server.close();
  }
}
