package dev.holdfast.provisioning.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.provisioning.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload that fails is recorded, retried, and cleared only once the broker took it and the sessions are cut. */
class BrokerSyncTest {
  static final String DEVICE = "dev-0123456789abcdef";

  @TempDir Path dir;
  TestPki pki;
  Path pidFile;
  final List<String> cut = new ArrayList<>();
  final List<String> filesWritten = new ArrayList<>();
  BrokerSync sync;

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(dir.resolve("fleet"), 31);
    pidFile = dir.resolve("broker.pid");
    sync = new BrokerSync(pki.registry, new BrokerReloader(pidFile)::hangup, Optional.of(cut::add), pki.clock);
    pki.registry.write(tx -> {
      tx.brokerReloads().markPending(pki.clock.instant(), "device " + DEVICE + " revoked", Set.of(DEVICE));
      return null;
    });
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  BrokerSync.Files files() {
    return () -> filesWritten.add("crl+acl");
  }

  PendingReload pending() throws Exception {
    return pki.registry.read(tx -> tx.brokerReloads().pending()).orElseThrow();
  }

  @Test
  void aReloadWithoutAPidFileFailsKeepsTheChangePendingWithTheReasonAndCutsNoSession() throws Exception {
    assertThatThrownBy(() -> sync.sync("device " + DEVICE + " revoked", files()))
        .isInstanceOfSatisfying(BrokerReloadException.class,
            e -> assertThat(e.reason()).isEqualTo(BrokerReloadException.Reason.NO_PID_FILE));

    assertThat(filesWritten).hasSize(1);
    assertThat(cut).as("a session cut before the broker re-read its CRL would just reconnect").isEmpty();
    assertThat(pending().what()).isEqualTo("device " + DEVICE + " revoked");
    assertThat(pending().sessionsToCut()).containsExactly(DEVICE);
    assertThat(pending().lastError()).get().asString().contains("no broker pid file " + pidFile);
  }

  @Test
  void anUnreadablePidFileAndAPidThatCannotBeSignalledAreFailuresToo() throws Exception {
    Files.createDirectory(pidFile);
    assertThatThrownBy(() -> sync.sync("x", files())).isInstanceOfSatisfying(BrokerReloadException.class,
        e -> assertThat(e.reason()).isEqualTo(BrokerReloadException.Reason.BAD_PID_FILE))
        .hasMessageContaining("cannot read the broker pid file");
    Files.delete(pidFile);
    Files.writeString(pidFile, "999999999\n");
    assertThatThrownBy(() -> sync.sync("x", files())).isInstanceOfSatisfying(BrokerReloadException.class,
        e -> assertThat(e.reason()).isEqualTo(BrokerReloadException.Reason.SIGNAL_FAILED))
        .hasMessageContaining("kill -HUP 999999999").hasMessageContaining("systemctl reload mosquitto");
    assertThat(pending().lastError()).get().asString().contains("kill -HUP 999999999");
  }

  @Test
  void theRetryTakesThePendingChangeOnceTheBrokerRunsCutsTheSessionAndClearsIt() throws Exception {
    sync.retryIfPending(files());
    assertThat(pending().lastError()).isPresent();

    try (HangupRecorder broker = new HangupRecorder(dir)) {
      sync.retryIfPending(files());

      await().atMost(Duration.ofSeconds(10)).until(() -> broker.hangups() == 1);
      assertThat(cut).containsExactly(DEVICE);
      Optional<PendingReload> left = pki.registry.read(tx -> tx.brokerReloads().pending());
      assertThat(left).isEmpty();
      sync.retryIfPending(files());
      assertThat(filesWritten).as("nothing pending: nothing rewritten").hasSize(2);
    }
  }

  @Test
  void aSessionThatCannotBeCutKeepsTheChangePendingAfterTheSignal() throws Exception {
    BrokerSync failing = new BrokerSync(pki.registry, () -> { }, Optional.of(d -> {
      throw new IOException("connection refused");
    }), pki.clock);

    assertThatThrownBy(() -> failing.sync("device " + DEVICE + " revoked", files()))
        .isInstanceOfSatisfying(BrokerReloadException.class,
            e -> assertThat(e.reason()).isEqualTo(BrokerReloadException.Reason.SESSION_NOT_CUT))
        .hasMessageContaining(DEVICE).hasMessageContaining("connection refused");
    assertThat(pending().sessionsToCut()).containsExactly(DEVICE);
  }

  @Test
  void serveRetriesOnItsSchedulerUntilTheBrokerIsBack() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      sync.schedule(scheduler, Duration.ofMillis(50), files());
      await().atMost(Duration.ofSeconds(10)).until(() -> pending().lastError().isPresent());
      try (HangupRecorder broker = new HangupRecorder(dir)) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> pki.registry.read(tx -> tx.brokerReloads().pending()).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.hangups() == 1);
        assertThat(cut).containsExactly(DEVICE);
      }
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aChangeRecordedWhileTheFilesAreWrittenStaysPendingForTheNextSync() throws Exception {
    try (HangupRecorder broker = new HangupRecorder(dir)) {
      BrokerSync.Files meanwhile = () -> {
        filesWritten.add("crl+acl");
        if (filesWritten.size() == 1) { // a revocation commits after the files were read from the registry
          pki.registry.write(tx -> {
            tx.brokerReloads().markPending(pki.clock.instant(), "certificate 0a revoked", Set.of());
            return null;
          });
        }
        return true;
      };

      sync.sync("device " + DEVICE + " revoked", meanwhile);

      assertThat(pending().what()).as("the later change may be missing from the files: not cleared")
          .contains("certificate 0a revoked");
      sync.sync("certificate 0a revoked", meanwhile);
      assertThat(pendingChange()).isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> broker.hangups() >= 1); // two close together may be one
    }
  }

  Optional<PendingReload> pendingChange() throws Exception {
    return pki.registry.read(tx -> tx.brokerReloads().pending());
  }
}
