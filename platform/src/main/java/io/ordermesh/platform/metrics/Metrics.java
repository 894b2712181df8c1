package io.ordermesh.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Where Ordermesh's own meters go: the registry Vert.x's Micrometer metrics write to, so that one
 * Prometheus scrape ({@code GET /metrics}) shows the Vert.x built-ins (HTTP, event bus, pools) and ours.
 * Metric names follow Prometheus conventions; they are listed in docs/observability.md.
 */
public final class Metrics {

  private static final MeterRegistry DETACHED = new SimpleMeterRegistry();

  private Metrics() {
  }

  /** The options a node's Vert.x is built with: Prometheus backend, JVM metrics. */
  public static MicrometerMetricsOptions vertxOptions() {
    // The route template (a bounded set, /api/v1/orders/:id) labels HTTP server metrics, so the
    // dashboard's rate, errors and duration are per route. Histograms stay off: their buckets cost every
    // request of the read path; the mean per route comes from the timers' sum and count.
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .addLabels(Label.HTTP_ROUTE)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /** The node's registry; a detached one where Vert.x runs without metrics (some unit tests). */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry == null ? DETACHED : registry;
  }
}
