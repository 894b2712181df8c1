package io.ordermesh.platform.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds calls in flight to one dependency; a full bulkhead rejects at once instead of queueing.
 * Safe from several event loops: a node's gateway instances share one per dependency.
 */
public final class Bulkhead {

  private final int maxConcurrent;
  private final AtomicInteger inFlight = new AtomicInteger();

  public Bulkhead(int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public boolean tryEnter() {
    int now;
    do {
      now = inFlight.get();
      if (now >= maxConcurrent) {
        return false;
      }
    } while (!inFlight.compareAndSet(now, now + 1));
    return true;
  }

  public void exit() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }
}
