package dev.holdfast.provisioning.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.testkit.ShippedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclFilesTest {
  @TempDir Path dir;

  @Test
  void theEmbeddedBaseIsTheShippedFileByteForByte() throws Exception {
    assertThat(AclText.base()).isEqualTo(Files.readAllBytes(ShippedFiles.acl()));
  }

  @Test
  void theGeneratedAclIsTheShippedFileFollowedByOneReadOnlyBlockPerOperator() throws Exception {
    String shipped = Files.readString(ShippedFiles.acl());
    String acl = AclText.render(List.of("alice", "bob"));

    assertThat(acl).startsWith(shipped);
    assertThat(acl.substring(shipped.length()).lines().filter(l -> !l.isEmpty() && !l.startsWith("#")))
        .containsExactly("user holdfast.operator.alice",
            "topic deny holdfast/v1/devices/holdfast.operator.alice/#", "topic read holdfast/v1/devices/+/state",
            "topic read holdfast/v1/devices/+/events/#", "user holdfast.operator.bob",
            "topic deny holdfast/v1/devices/holdfast.operator.bob/#", "topic read holdfast/v1/devices/+/state",
            "topic read holdfast/v1/devices/+/events/#");
  }

  @Test
  void replacesTheAclWithAWorldReadableFileAndThenSignalsTheBroker() throws Exception {
    Path acl = dir.resolve("holdfast.acl");
    Files.writeString(acl, "user old\n");
    try (HangupRecorder broker = new HangupRecorder(dir)) {
      AclFiles.publish(acl, AclText.render(List.of("alice")), new BrokerReloader(broker.pidFile)::hangup);

      assertThat(Files.readString(acl)).isEqualTo(AclText.render(List.of("alice")));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(acl))).isEqualTo("rw-r--r--");
      Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> broker.hangups() == 1);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".holdfast.acl.new");
    }
  }

  @Test
  void aBadAclNeverReplacesAGoodOneAndTheBrokerIsNotSignalled() throws Exception {
    Path acl = dir.resolve("holdfast.acl");
    String good = AclText.render(List.of("alice"));
    Files.writeString(acl, good);
    var reloads = new java.util.concurrent.atomic.AtomicInteger();
    for (String bad : List.of(good + "topic reed holdfast/#\n", "", good + "acl_file /x\n")) {
      assertThatThrownBy(() -> AclFiles.publish(acl, bad, reloads::incrementAndGet))
          .isInstanceOf(AclCheck.InvalidAclException.class);
    }

    assertThat(Files.readString(acl, StandardCharsets.UTF_8)).isEqualTo(good);
    assertThat(reloads).hasValue(0);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(acl);
    }
  }

  @Test
  void refusesWhenTheDirectoryIsMissingAndCreatesNothing() {
    Path acl = dir.resolve("missing").resolve("holdfast.acl");

    assertThatThrownBy(() -> AclFiles.publish(acl, AclText.render(List.of()), () -> { }))
        .hasMessageContaining("does not exist");
    assertThat(dir.resolve("missing")).doesNotExist();
  }
}
