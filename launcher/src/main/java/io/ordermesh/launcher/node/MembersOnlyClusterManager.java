package io.ordermesh.launcher.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Completable;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Hazelcast cluster manager, except that the event bus never picks a node the cluster no longer
 * counts as a member.
 *
 * <p>When Hazelcast declares a member gone, vertx-hazelcast scans the subscription map for the
 * member's handlers, removes them, and every node then hears of each removal; until its event bus has
 * heard, it keeps sending that member requests, each of which waits for its whole timeout (the member
 * is unreachable, or dead). Here registrations of non-members are left out of every answer the event
 * bus gets, and the moment a member leaves, the addresses the event bus follows are refreshed, so the
 * departed member stops being picked at once.
 */
final class MembersOnlyClusterManager implements ClusterManager {

  private final HazelcastClusterManager hazelcast;
  /** Addresses the event bus asked about; refreshed when a member leaves if it still follows them. */
  private final Set<String> followed = ConcurrentHashMap.newKeySet();
  private volatile RegistrationListener eventBus;
  private UUID membershipListener;

  MembersOnlyClusterManager(HazelcastClusterManager hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    this.eventBus = listener;
    hazelcast.registrationListener(new RegistrationListener() {
      @Override
      public void registrationsUpdated(RegistrationUpdateEvent event) {
        followed.add(event.address());
        listener.registrationsUpdated(new RegistrationUpdateEvent(event.address(), membersOnly(event.registrations())));
      }

      @Override
      public void registrationsLost() {
        listener.registrationsLost();
      }

      @Override
      public boolean wantsUpdatesFor(String address) {
        return listener.wantsUpdatesFor(address);
      }
    });
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    followed.add(address);
    hazelcast.getRegistrations(address, (registrations, failure) -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.succeed(membersOnly(registrations));
      }
    });
  }

  @Override
  public void join(Completable<Void> promise) {
    Promise<Void> joined = Promise.promise();
    hazelcast.join(joined);
    joined.future().onSuccess(v -> membershipListener = hazelcast.getHazelcastInstance().getCluster()
            .addMembershipListener(new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                refreshFollowedAddresses();
              }
            }))
        .onComplete(promise);
  }

  @Override
  public void leave(Completable<Void> promise) {
    if (membershipListener != null && hazelcast.getHazelcastInstance().getLifecycleService().isRunning()) {
      hazelcast.getHazelcastInstance().getCluster().removeMembershipListener(membershipListener);
    }
    hazelcast.leave(promise);
  }

  /** Tells the event bus the registrations of every address it follows again, departed members left out. */
  private void refreshFollowedAddresses() {
    RegistrationListener listener = eventBus;
    if (listener == null) {
      return;
    }
    followed.removeIf(address -> !listener.wantsUpdatesFor(address));
    for (String address : followed) {
      hazelcast.getRegistrations(address, (registrations, failure) -> {
        if (failure == null && listener.wantsUpdatesFor(address)) {
          listener.registrationsUpdated(new RegistrationUpdateEvent(address, membersOnly(registrations)));
        }
      });
    }
  }

  private List<RegistrationInfo> membersOnly(List<RegistrationInfo> registrations) {
    Set<String> members;
    try {
      members = new HashSet<>(hazelcast.getNodes());
    } catch (RuntimeException e) {
      // Hazelcast refuses while it shuts down or merges; better a possibly stale answer than none.
      return registrations;
    }
    if (members.isEmpty() || registrations.stream().allMatch(r -> members.contains(r.nodeId()))) {
      return registrations;
    }
    return registrations.stream().filter(r -> members.contains(r.nodeId())).toList();
  }

  // Everything else is Hazelcast's.

  @Override
  public void init(Vertx vertx) {
    hazelcast.init(vertx);
  }

  @Override
  public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
    hazelcast.getAsyncMap(name, promise);
  }

  @Override
  public <K, V> Map<K, V> getSyncMap(String name) {
    return hazelcast.getSyncMap(name);
  }

  @Override
  public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
    hazelcast.getLockWithTimeout(name, timeout, promise);
  }

  @Override
  public void getCounter(String name, Completable<Counter> promise) {
    hazelcast.getCounter(name, promise);
  }

  @Override
  public String getNodeId() {
    return hazelcast.getNodeId();
  }

  @Override
  public List<String> getNodes() {
    return hazelcast.getNodes();
  }

  @Override
  public void nodeListener(NodeListener listener) {
    hazelcast.nodeListener(listener);
  }

  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    hazelcast.setNodeInfo(nodeInfo, promise);
  }

  @Override
  public NodeInfo getNodeInfo() {
    return hazelcast.getNodeInfo();
  }

  @Override
  public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
    hazelcast.getNodeInfo(nodeId, promise);
  }

  @Override
  public boolean isActive() {
    return hazelcast.isActive();
  }

  @Override
  public void addRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    hazelcast.addRegistration(address, registrationInfo, promise);
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    hazelcast.removeRegistration(address, registrationInfo, promise);
  }

  @Override
  public String clusterHost() {
    return hazelcast.clusterHost();
  }

  @Override
  public String clusterPublicHost() {
    return hazelcast.clusterPublicHost();
  }
}
