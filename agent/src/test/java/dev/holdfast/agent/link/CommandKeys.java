package dev.holdfast.agent.link;

import dev.holdfast.protocol.messages.Command;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;

/** Named command-signing keys and commands for the link's tests. */
final class CommandKeys {
  static final SecureRandom RANDOM = new SecureRandom();
  /** The fleet's command-signing key the device trusts. */
  static final KeyPair FLEET = generate();
  /** A key the device does not trust. */
  static final KeyPair ATTACKER = generate();

  private CommandKeys() {}

  static KeyPair generate() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Command ping(String id, String device, Instant issued, Instant expires) {
    return Command.signed(id, device, Command.PING, issued, expires, FLEET.getPrivate(), RANDOM);
  }

  static Command pingSignedBy(KeyPair key, String id, String device, Instant issued, Instant expires) {
    return Command.signed(id, device, Command.PING, issued, expires, key.getPrivate(), RANDOM);
  }
}
