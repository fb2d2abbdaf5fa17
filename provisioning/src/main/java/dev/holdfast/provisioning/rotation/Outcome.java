package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.ProvAnswer;

/**
 * What a rotation request came to: the answer for the device, and whether the broker must take a
 * change first (certificates were revoked, or a repeated confirm finds them not taken yet): the
 * answer then waits for the sync that follows the commit.
 */
record Outcome(ProvAnswer answer, boolean brokerFirst) {
  static Outcome answer(ProvAnswer answer) {
    return new Outcome(answer, false);
  }
}
