package dev.holdfast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the shipped configuration for a test broker: the shipped lines unchanged except the
 * listener (a free port on 127.0.0.1) and the {@code /etc/mosquitto/holdfast/} paths, then a few
 * test-only lines (log file, no persistence, and the user to run as when started as root).
 */
final class MosquittoConfig {
  static final String SHIPPED_DIR = "/etc/mosquitto/holdfast/";

  private MosquittoConfig() {}

  static String render(String shipped, BrokerFiles files, int port, Path logFile, String user) {
    Map<String, Path> paths = new LinkedHashMap<>();
    paths.put("cafile", files.caChain());
    paths.put("certfile", files.serverChain());
    paths.put("keyfile", files.serverKey());
    paths.put("crlfile", files.crl());
    paths.put("acl_file", files.acl());
    List<String> out = new ArrayList<>();
    int listeners = 0;
    for (String line : shipped.split("\n", -1)) {
      String[] words = line.strip().split("\\s+");
      if (words[0].equals("listener")) {
        listeners++;
        out.add("listener " + port + " 127.0.0.1");
      } else if (paths.containsKey(words[0])) {
        out.add(words[0] + " " + paths.remove(words[0]));
      } else {
        out.add(line);
      }
    }
    if (listeners != 1 || !paths.isEmpty()) {
      throw new IllegalStateException("the shipped broker configuration changed shape: expected one listener and the"
          + " options " + paths.keySet() + "; update MosquittoConfig together with holdfast.conf");
    }
    String rendered = String.join("\n", out);
    if (rendered.contains(SHIPPED_DIR)) {
      throw new IllegalStateException("the shipped broker configuration names " + SHIPPED_DIR
          + " in an option the test broker does not replace; update MosquittoConfig");
    }
    StringBuilder test = new StringBuilder(rendered.stripTrailing()).append("\n\n# --- test only, not shipped ---\n")
        .append("log_dest file ").append(logFile).append('\n')
        .append("log_type all\n")
        .append("log_timestamp_format %H:%M:%S\n")
        .append("persistence false\n");
    if (user != null) {
      test.append("user ").append(user).append('\n');
    }
    return test.toString();
  }

  static String readShipped(Path conf) {
    try {
      return Files.readString(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the shipped broker configuration " + conf, e);
    }
  }
}
