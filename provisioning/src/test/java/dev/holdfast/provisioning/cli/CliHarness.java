package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.ConfigLines;
import dev.holdfast.vault.KeyFiles;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process against a data directory unlocked by a test key file. */
final class CliHarness {
  record Result(int exit, String out, String err) {}

  final Path dir;
  final Path keyFile;

  CliHarness(Path root) throws Exception {
    this.dir = root.resolve("data");
    this.keyFile = root.resolve("store.key");
    KeyFiles.generate(keyFile, TestRandom.seeded(61));
  }

  /**
   * Points an initialised data directory at a stand-in broker (a real process that counts its
   * SIGHUPs) and at an ACL path in {@code etc}; the caller closes it.
   */
  HangupRecorder standInBroker(Path etc) throws Exception {
    java.nio.file.Files.createDirectories(etc);
    HangupRecorder broker = new HangupRecorder(java.nio.file.Files.createDirectories(etc.resolveSibling("stand-in")));
    ConfigLines.set(dir.resolve(ProvisioningConfig.FILE), "broker.pid-file=" + broker.pidFile,
        "broker.acl-path=" + etc.resolve("holdfast.acl"));
    return broker;
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--help")) {
      all.addAll(List.of("--dir", dir.toString(), "--key-file", keyFile.toString()));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(all.toArray(new String[0]), Map.of(), new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return new Result(exit, out.toString(), err.toString());
  }
}
