package dev.holdfast.protocol.messages;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * A payload on a device's {@code cmd} topic, as the agent reads it: any bytes are refused with a
 * {@link MessageException} or give a command whose checks run without throwing and refuse it (no
 * input can carry a valid signature of a key made here), and whose JSON reads back the same.
 */
class CommandFuzzTest {
  private static final KeyPair KEY = p256();
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @FuzzTest
  void anyPayloadIsRefusedOrParsesToACommandThatFailsItsSignatureCheck(byte[] payload) throws MessageException {
    Command command;
    try {
      command = Command.parse(payload);
    } catch (MessageException refused) {
      return;
    }
    if (command.check(KEY.getPublic(), "dev-0123456789abcdef", NOW, Duration.ofMinutes(5)).isEmpty()) {
      throw new AssertionError("a command from the fuzzer passed its checks");
    }
    Command again = Command.parse(command.toJson());
    if (!again.toJson().equals(command.toJson())) {
      throw new AssertionError("a command did not survive its own JSON");
    }
  }

  private static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
