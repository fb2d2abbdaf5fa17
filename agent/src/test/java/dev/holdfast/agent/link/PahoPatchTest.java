package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paho's thread-start classes are loaded from holdfast-paho-patch (which waits on a monitor), not from
 * the Paho jar (which polls with {@code Thread.sleep(100)}): see paho-patch/README.md.
 */
class PahoPatchTest {
  @Test
  void pahosThreadStartClassesAreThePatchedCopies() throws Exception {
    for (String name : List.of("CommsReceiver", "CommsSender", "CommsCallback")) {
      Class<?> c = Class.forName("org.eclipse.paho.mqttv5.client.internal." + name);
      String from = c.getProtectionDomain().getCodeSource().getLocation().toString();
      assertThat(from).as(name + " loaded from").contains("paho-patch").doesNotContain("org.eclipse.paho.mqttv5.client");
    }
  }
}
