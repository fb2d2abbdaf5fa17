package dev.holdfast.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnDemandThreadsTest {
  final Set<String> names = ConcurrentHashMap.newKeySet();
  final OnDemandThreads pool = OnDemandThreads.create(4, r -> new Thread(r, "t-" + names.size()));

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void tasksThatComeOneAfterAnotherAreRunByOneThread() throws Exception {
    for (int i = 0; i < 20; i++) {
      pool.submit(() -> names.add(Thread.currentThread().getName())).get(30, TimeUnit.SECONDS);
      // the thread that ran it goes back to waiting for work; the next task must find it waiting
      await().atMost(Duration.ofSeconds(30)).until(() -> pool.getActiveCount() == 0);
    }
    assertThat(names).hasSize(1);
    assertThat(pool.getLargestPoolSize()).isEqualTo(1);
  }

  @Test
  void tasksThatRunAtOnceGetAThreadEachUpToTheMaximumAndTheRestWaitTheirTurn() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(4);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(pool.submit(() -> {
        names.add(Thread.currentThread().getName());
        started.countDown();
        release.await();
        return null;
      }));
    }
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.getPoolSize()).isEqualTo(4);
    assertThat(pool.getQueue()).hasSize(2);
    release.countDown();
    for (Future<?> f : all) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertThat(pool.getLargestPoolSize()).isEqualTo(4);
    // a worker counts its task as completed only after the task's future is done
    await().atMost(Duration.ofSeconds(30)).until(() -> pool.getCompletedTaskCount() == 6);
  }
}
