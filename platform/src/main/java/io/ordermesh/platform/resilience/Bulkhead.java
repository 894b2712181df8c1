package io.ordermesh.platform.resilience;

/**
 * Bounds calls in flight to one dependency; a full bulkhead rejects at once instead of queueing.
 * Confined to the event loop of the verticle that owns it, like everything of a {@link Dependency}.
 */
public final class Bulkhead {

  private final int maxConcurrent;
  private int inFlight;

  public Bulkhead(int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public boolean tryEnter() {
    if (inFlight >= maxConcurrent) {
      return false;
    }
    inFlight++;
    return true;
  }

  public void exit() {
    inFlight--;
  }

  public int inFlight() {
    return inFlight;
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }
}
