package io.ordermesh.launcher.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** A Vert.x whose event bus joins the cluster the settings describe: Hazelcast, the bus's address, its TLS. */
public final class ClusteredVertx {

  private ClusteredVertx() {
  }

  public static Future<Vertx> start(VertxOptions options, ClusterSettings cluster) {
    EventBusOptions eventBus = options.getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.publicHost() == null ? cluster.host() : cluster.publicHost());
    cluster.eventBusTls().ifPresent(tls -> tls.applyTo(eventBus));
    var manager = new MembersOnlyClusterManager(new HazelcastClusterManager(HazelcastConfig.build(cluster)));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
  }
}
