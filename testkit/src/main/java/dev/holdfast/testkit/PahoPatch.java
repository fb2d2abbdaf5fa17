package dev.holdfast.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Paho's thread-start classes come from on the calling module's class path: they must be
 * holdfast-paho-patch's copies (which wait on a monitor), not the Paho jar's (which poll with {@code
 * Thread.sleep(100)}); see paho-patch/README.md. Each module that uses Paho checks its own class path.
 */
public final class PahoPatch {
  /** The classes the patch replaces. */
  public static final List<String> PATCHED = List.of("CommsReceiver", "CommsSender", "CommsCallback");

  private PahoPatch() {}

  /** Each patched class's simple name, and the location it was loaded from. */
  public static Map<String, String> origins() throws ClassNotFoundException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : PATCHED) {
      Class<?> c = Class.forName("org.eclipse.paho.mqttv5.client.internal." + name);
      out.put(name, c.getProtectionDomain().getCodeSource().getLocation().toString());
    }
    return out;
  }
}
