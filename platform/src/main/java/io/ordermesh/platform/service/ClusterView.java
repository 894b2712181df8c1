package io.ordermesh.platform.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.Collection;
import java.util.List;

/**
 * What the cluster knows about this node: whether it is a member, and which of its event-bus
 * addresses the cluster's subscription map lists for it (the map every sender picks a node from, not
 * this node's own list of handlers). A node that is not clustered is trivially a member with every
 * address registered.
 */
public final class ClusterView {

  private final ClusterManager cluster;

  private ClusterView(ClusterManager cluster) {
    this.cluster = cluster;
  }

  public static ClusterView of(Vertx vertx) {
    return new ClusterView(((VertxInternal) vertx).clusterManager());
  }

  public boolean clustered() {
    return cluster != null;
  }

  /** This node is an active member of the cluster and the member list includes it. */
  public boolean isMember() {
    return cluster == null || members().contains(cluster.getNodeId());
  }

  /** Membership as {@code {"member","nodeId","members"}} for health answers. */
  public JsonObject membership() {
    if (cluster == null) {
      return new JsonObject().put("member", true).put("clustered", false);
    }
    List<String> members = members();
    return new JsonObject().put("member", members.contains(cluster.getNodeId())).put("nodeId", cluster.getNodeId())
        .put("members", members.size());
  }

  private List<String> members() {
    try {
      return cluster.isActive() ? cluster.getNodes() : List.of();
    } catch (RuntimeException e) {
      // Hazelcast refuses calls while it shuts down or merges: no members for now.
      return List.of();
    }
  }

  /** The addresses of {@code addresses} for which the subscription map lists no handler of this node. */
  public Future<List<String>> unregistered(Collection<String> addresses) {
    if (cluster == null) {
      return Future.succeededFuture(List.of());
    }
    List<Future<Boolean>> checks = addresses.stream().map(this::registered).toList();
    return Future.all(checks).map(all -> {
      List<String> addressList = List.copyOf(addresses);
      return java.util.stream.IntStream.range(0, checks.size()).filter(i -> !checks.get(i).result())
          .mapToObj(addressList::get).toList();
    });
  }

  /**
   * Takes this node's handlers of {@code address} off the subscription map while they stay registered
   * here: other nodes stop sending to this one as soon as they hear of it, and what they sent before
   * still finds a handler. (Vert.x drops a message from another node that finds no handler, without a
   * reply, so its sender would wait for its whole timeout.) All of this node's handlers of the address
   * are withdrawn; the later unregistration of each is then a no-op for the cluster.
   */
  public Future<Void> withdraw(String address) {
    if (cluster == null) {
      return Future.succeededFuture();
    }
    return registrations(address).compose(list -> Future.join(list.stream()
            .filter(this::isOwn)
            .map(own -> {
              Promise<Void> removed = Promise.promise();
              cluster.removeRegistration(address, own, removed);
              return removed.future();
            })
            .toList()))
        .mapEmpty();
  }

  private Future<Boolean> registered(String address) {
    return registrations(address).map(list -> list.stream().anyMatch(this::isOwn));
  }

  private Future<List<RegistrationInfo>> registrations(String address) {
    Promise<List<RegistrationInfo>> promise = Promise.promise();
    cluster.getRegistrations(address, promise);
    return promise.future();
  }

  private boolean isOwn(RegistrationInfo registration) {
    return !registration.localOnly() && cluster.getNodeId().equals(registration.nodeId());
  }
}
