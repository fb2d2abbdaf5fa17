package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.messages.Command;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandGateTest {
  static final String DEVICE = "dev-0123456789abcdef";
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  final MutableClock clock = new MutableClock(NOW);
  final CommandGate gate = new CommandGate(CommandKeys.FLEET.getPublic(), DEVICE, clock);

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
}
