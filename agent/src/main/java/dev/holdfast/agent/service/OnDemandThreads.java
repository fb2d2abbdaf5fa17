package dev.holdfast.agent.service;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A pool of up to {@code max} threads that starts one only when every thread it has is busy, and
 * lets each go after a minute without work. The JDK's fixed pool starts a new thread for each task
 * until it has {@code max}, even while the others sit idle: one destination retrying a record, or
 * one program opening a local API connection per message, ended up holding all of them (each
 * about 120 KiB of stack and bookkeeping on a device that has little). Tasks beyond {@code max}
 * wait their turn in the queue, as in a fixed pool.
 */
public final class OnDemandThreads extends ThreadPoolExecutor {
  private OnDemandThreads(int max, ThreadFactory threads, Queue queue) {
    super(0, max, 60, TimeUnit.SECONDS, queue, threads);
  }

  public static OnDemandThreads create(int max, ThreadFactory threads) {
    Queue queue = new Queue();
    OnDemandThreads pool = new OnDemandThreads(max, threads, queue);
    queue.pool = pool;
    return pool;
  }

  /** Takes a task only when a thread is free to run it or no more threads may start. */
  private static final class Queue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    private transient ThreadPoolExecutor pool;

    @Override
    public boolean offer(Runnable task) {
      int threads = pool.getPoolSize();
      if (threads < pool.getMaximumPoolSize() && pool.getActiveCount() >= threads) {
        return false; // the pool starts a thread for it
      }
      return super.offer(task);
    }
  }
}
