package dev.holdfast.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testkit.PahoPatch;
import org.junit.jupiter.api.Test;

/**
 * Paho's thread-start classes are loaded from holdfast-paho-patch (which waits on a monitor), not from
 * the Paho jar (which polls with {@code Thread.sleep(100)}): see paho-patch/README.md.
 */
class PahoPatchTest {
  @Test
  void pahosThreadStartClassesAreThePatchedCopies() throws Exception {
    assertThat(PahoPatch.origins()).containsOnlyKeys(PahoPatch.PATCHED).allSatisfy((name, from) ->
        assertThat(from).as(name + " loaded from").contains("paho-patch").doesNotContain("org.eclipse.paho.mqttv5.client"));
  }
}
