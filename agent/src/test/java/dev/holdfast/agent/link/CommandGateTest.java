package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandGateTest {
  static final String DEVICE = "dev-0123456789abcdef";
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  final MutableClock clock = new MutableClock(NOW);
  final CommandGate gate = gate(AcceptedIds.inMemory());
  @TempDir Path dir;

  private CommandGate gate(AcceptedIds accepted) {
    return new CommandGate(CommandKeys.FLEET.getPublic(), DEVICE, CommandGate.DEFAULT_MAX_LIFETIME, accepted, clock);
  }

  private Vault vault() throws Exception {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 7);
    MasterKeySource key = MasterKeySource.ofKey(Secret.wrap(k), "test");
    Path file = dir.resolve("agent.db");
    return Files.exists(file) ? Vault.open(file, key, new SecureRandom()) : Vault.create(file, key, new SecureRandom());
  }

  private static CommandGate.Verdict admit(CommandGate gate, Command c) {
    return gate.admit(c.toJson().getBytes(StandardCharsets.UTF_8));
  }

  private CommandGate.Verdict admit(Command c) {
    return gate.admit(c.toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(CommandGate.Verdict v) {
    assertThat(v).isInstanceOf(CommandGate.Verdict.Refused.class);
    return ((CommandGate.Verdict.Refused) v).reason();
  }

  @Test
  void acceptsAPingSignedByTheFleetKeyForThisDevice() {
    CommandGate.Verdict v = admit(CommandKeys.ping("c1", DEVICE, NOW, NOW.plusSeconds(60)));
    assertThat(v).isInstanceOf(CommandGate.Verdict.Accepted.class);
    assertThat(((CommandGate.Verdict.Accepted) v).command().id()).isEqualTo("c1");
  }

  @Test
  void refusesACommandSignedByAnotherKey() {
    assertThat(refusal(admit(CommandKeys.pingSignedBy(CommandKeys.ATTACKER, "c1", DEVICE, NOW, NOW.plusSeconds(60)))))
        .contains("bad signature");
  }

  @Test
  void refusesACommandForAnotherDevice() {
    assertThat(refusal(admit(CommandKeys.ping("c1", "dev-ffffffffffffffff", NOW, NOW.plusSeconds(60)))))
        .contains("addressed to dev-ffffffffffffffff");
  }

  @Test
  void refusesAnExpiredCommand() {
    assertThat(refusal(admit(CommandKeys.ping("c1", DEVICE, NOW.minusSeconds(120), NOW.minusSeconds(1)))))
        .contains("expired");
  }

  @Test
  void refusesACommandIssuedFurtherInTheFutureThanTheSkew() {
    Instant issued = NOW.plus(CommandGate.SKEW).plusSeconds(1);
    assertThat(refusal(admit(CommandKeys.ping("c1", DEVICE, issued, issued.plusSeconds(60)))))
        .contains("issued in the future");
  }

  @Test
  void refusesTheSameIdTwiceEvenWithAFreshSignature() {
    assertThat(admit(CommandKeys.ping("c1", DEVICE, NOW, NOW.plusSeconds(60))))
        .isInstanceOf(CommandGate.Verdict.Accepted.class);
    clock.advance(Duration.ofSeconds(10));
    assertThat(refusal(admit(CommandKeys.ping("c1", DEVICE, NOW, NOW.plusSeconds(60))))).contains("replayed");
  }

  @Test
  void aForgedCommandDoesNotBurnTheIdOfTheRealOne() {
    assertThat(refusal(admit(CommandKeys.pingSignedBy(CommandKeys.ATTACKER, "c1", DEVICE, NOW, NOW.plusSeconds(60)))))
        .contains("bad signature");
    assertThat(admit(CommandKeys.ping("c1", DEVICE, NOW, NOW.plusSeconds(60))))
        .isInstanceOf(CommandGate.Verdict.Accepted.class);
  }

  @Test
  void refusesWhatIsNotACommandWithoutThrowing() {
    assertThat(refusal(gate.admit("not json".getBytes(StandardCharsets.UTF_8)))).contains("not a readable command");
    assertThat(refusal(gate.admit(new byte[] {(byte) 0xff, 0, 1}))).contains("not a readable command");
    assertThat(refusal(gate.admit("{\"v\":1,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8))))
        .contains("not a readable command");
  }

  @Test
  void refusesACommandValidForLongerThanTheMaxLifetimeAndAcceptsOneExactlyAtIt() {
    Instant tooLong = NOW.plus(CommandGate.DEFAULT_MAX_LIFETIME).plusSeconds(1);
    assertThat(refusal(admit(CommandKeys.ping("c1", DEVICE, NOW, tooLong)))).contains("commands.max-lifetime");
    assertThat(refusal(admit(CommandKeys.ping("c2", DEVICE, NOW.minusSeconds(3600), NOW.plus(Duration.ofDays(365))))))
        .contains("longer than commands.max-lifetime");
    assertThat(admit(CommandKeys.ping("c3", DEVICE, NOW, NOW.plus(CommandGate.DEFAULT_MAX_LIFETIME))))
        .isInstanceOf(CommandGate.Verdict.Accepted.class);
    assertThat(refusal(admit(CommandKeys.ping("c4", DEVICE, NOW.plusSeconds(120), NOW.plusSeconds(60)))))
        .contains("expires_at is before issued_at");
  }

  @Test
  void aCommandAcceptedBeforeARestartIsRefusedAsAReplayByANewGateOnTheReopenedVault() throws Exception {
    Command ping = CommandKeys.ping("c1", DEVICE, NOW, NOW.plusSeconds(60));
    try (Vault vault = vault()) {
      assertThat(admit(gate(new VaultAcceptedIds(vault)), ping)).isInstanceOf(CommandGate.Verdict.Accepted.class);
    }
    clock.advance(Duration.ofSeconds(30));
    try (Vault reopened = vault()) {
      CommandGate afterRestart = gate(new VaultAcceptedIds(reopened));
      assertThat(refusal(admit(afterRestart, ping))).contains("replayed");
      assertThat(admit(afterRestart, CommandKeys.ping("c2", DEVICE, NOW, NOW.plusSeconds(60))))
          .isInstanceOf(CommandGate.Verdict.Accepted.class);
    }
  }

  @Test
  void expiredIdsArePrunedFromTheVaultWhenTheNextCommandIsAccepted() throws Exception {
    try (Vault vault = vault()) {
      VaultAcceptedIds ids = new VaultAcceptedIds(vault);
      CommandGate g = gate(ids);
      assertThat(admit(g, CommandKeys.ping("c1", DEVICE, NOW, NOW.plusSeconds(60))))
          .isInstanceOf(CommandGate.Verdict.Accepted.class);
      assertThat(admit(g, CommandKeys.ping("c2", DEVICE, NOW, NOW.plusSeconds(120))))
          .isInstanceOf(CommandGate.Verdict.Accepted.class);
      assertThat(ids.size()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(90));
      Instant later = clock.instant();
      assertThat(admit(g, CommandKeys.ping("c3", DEVICE, later, later.plusSeconds(60))))
          .isInstanceOf(CommandGate.Verdict.Accepted.class);
      assertThat(ids.size()).as("c1 expired and was dropped; c2 and c3 are kept").isEqualTo(2);
      assertThat(refusal(admit(g, CommandKeys.ping("c2", DEVICE, NOW, NOW.plusSeconds(120))))).contains("replayed");
      assertThat(refusal(admit(g, CommandKeys.ping("c1", DEVICE, NOW, NOW.plusSeconds(60))))).contains("expired");
    }
  }
}
