package io.ordermesh.user.internal;

import io.micrometer.core.instrument.Counter;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.db.AfterCommit;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Customers' profiles as {@code users.get} answers them, kept in memory: every placement asks for its
 * customer and {@code GET /users/me} is the API's most frequent read, while a customer's row changes
 * only when the saga holds or gives back credit.
 *
 * <p>A view is dropped when a transaction that changed its customer commits, on this node at once and
 * on every other node through a cluster-wide publish, so a read that reaches any node after that
 * publish arrived sees the change; a read that races it may see the value before (the saga is
 * asynchronous anyway: credit moves some milliseconds after an order is accepted). A view also expires
 * after {@code ttl}, which bounds staleness when a publish is lost (a node cut off from the cluster).
 * A read that loaded a view while its customer changed does not keep what it loaded: the change may
 * have committed after the read's snapshot. {@link Read#FRESH} reads (a client's {@code Cache-Control:
 * no-cache}) skip the views.
 *
 * <p>A dropped view is kept as a record that its customer exists: customers are never deleted, so the
 * order service's check of each placement ({@link Read#EXISTENCE}) is answered from memory even though
 * every order of a customer changes their credit, and with it their view, shortly after.
 *
 * <p>Touched only on the user service's context: its requests, its consumer's transactions and the
 * publishes all run there.
 */
public final class CustomerViews {

  /**
   * Published, cluster-wide, with the ids of customers whose rows a committed transaction changed.
   * Outside the service's {@code users.} addresses, which fault injection silences or slows: a fault
   * on the service must not leave other nodes' views stale.
   */
  public static final String CHANGED_ADDRESS = "ordermesh.user.customers-changed";

  private final Vertx vertx;
  private final Function<String, Future<Optional<JsonObject>>> load;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<String, View> views;
  /** Per customer, the load that may keep its answer (and be shared); a change takes the permission away. */
  private final Map<String, Load> loading = new LinkedHashMap<>();
  /** Customers a transaction changed, whose views drop when it commits. */
  private final AfterCommit.Gathered<String> dropWhenCommitted = AfterCommit.gathered(this::changed);
  private final Counter hits;
  private final Counter known;
  private final Counter loads;
  private final Counter freshReads;
  private MessageConsumer<JsonArray> changes;

  /** What a caller needs from a read. */
  public enum Read {
    /** The customer as committed, give or take a change notice still on its way. */
    CURRENT,
    /** The customer as the database has it now. */
    FRESH,
    /** Whether the customer exists: a view from before a credit change will do. */
    EXISTENCE
  }

  /** A query for a customer and when it started: equal only to itself, or to one with its very future and start. */
  private record Load(Future<Optional<JsonObject>> answer, long startedAt) {
  }

  /**
   * A customer as loaded, and as JSON text (encoded once: the API's reads ask for the text, which each
   * read would otherwise encode again); {@code current} until a change of the customer dropped it.
   */
  private record View(Optional<JsonObject> customer, Optional<Buffer> jsonText, long loadedAt, boolean current) {

    static View loaded(Optional<JsonObject> customer, long loadedAt) {
      return new View(customer, customer.map(JsonObject::toBuffer), loadedAt, true);
    }

    View dropped() {
      return new View(customer, jsonText, loadedAt, false);
    }
  }

  /**
   * How a read hands out a customer, from a view or from what a query loaded (which other reads and a
   * view may share). Each caller gets an object or bytes of its own: a view's are never handed out.
   */
  private record Answer<T>(Function<View, Optional<T>> fromView, Function<JsonObject, T> fromLoaded) {
  }

  private static final Answer<JsonObject> AS_JSON = new Answer<>(
      view -> view.customer().map(JsonObject::copy), JsonObject::copy);
  private static final Answer<Buffer> AS_JSON_TEXT = new Answer<>(
      view -> view.jsonText().map(Buffer::copy), JsonObject::toBuffer);

  public CustomerViews(Vertx vertx, Function<String, Future<Optional<JsonObject>>> load, int capacity, Duration ttl) {
    this(vertx, load, capacity, ttl, System::nanoTime);
  }

  CustomerViews(Vertx vertx, Function<String, Future<Optional<JsonObject>>> load, int capacity, Duration ttl,
      LongSupplier nanoTime) {
    this.vertx = vertx;
    this.load = load;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
    this.views = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, View> eldest) {
        return size() > capacity;
      }
    };
    this.hits = reads("view");
    this.known = reads("known");
    this.loads = reads("database");
    this.freshReads = reads("fresh");
  }

  private static Counter reads(String answeredFrom) {
    return Counter.builder("ordermesh.user.profile.reads").tag("from", answeredFrom)
        .description("users.get answers by where they came from: a current view in memory, a dropped view "
            + "(the caller asked only whether the customer exists), the database (a miss), the database because "
            + "the caller asked for a fresh read")
        .register(Metrics.registry());
  }

  /** Listens for other nodes' changes; call on the service's context. */
  public Future<Void> start() {
    changes = vertx.eventBus().consumer(CHANGED_ADDRESS, message -> forget(message.body()));
    return changes.completion();
  }

  public Future<Void> stop() {
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }

  /** The customer as {@code read} asks, from memory when that will do; empty when there is no such customer. */
  public Future<Optional<JsonObject>> get(String customerId, Read read) {
    return answer(customerId, read, AS_JSON);
  }

  /**
   * As {@link #get}, as the JSON text {@code get}'s object encodes to: what the API sends, which a view
   * keeps encoded.
   */
  public Future<Optional<Buffer>> getAsJsonText(String customerId, Read read) {
    return answer(customerId, read, AS_JSON_TEXT);
  }

  private <T> Future<Optional<T>> answer(String customerId, Read read, Answer<T> as) {
    if (read == Read.FRESH) {
      freshReads.increment();
      return load.apply(customerId).map(found -> found.map(as.fromLoaded()));
    }
    View view = views.get(customerId);
    if (view != null && view.current() && nanoTime.getAsLong() - view.loadedAt() < ttlNanos) {
      hits.increment();
      return Future.succeededFuture(as.fromView().apply(view));
    }
    // A dropped view still proves its customer exists (customers are never deleted); a "not found" is
    // trusted only while current, like any view: the customer may have been created since.
    if (view != null && read == Read.EXISTENCE && view.customer().isPresent()) {
      known.increment();
      return Future.succeededFuture(as.fromView().apply(view));
    }
    loads.increment();
    return loadingNow(customerId).map(found -> found.map(as.fromLoaded()));
  }

  /**
   * The load of the customer under way that may still keep its answer, if it is young, or a new one.
   * Reads that miss together (a view aged out under a steady stream of requests) share one query: with
   * a query each, every load that a later one overtook kept nothing, and one customer read at sixteen
   * connections cost ~100 queries per 10 s instead of two. A load older than
   * {@link Defaults#CUSTOMER_LOAD_SHARED_FOR} is not joined: a hung one must not hold every later read.
   */
  private Future<Optional<JsonObject>> loadingNow(String customerId) {
    Load underWay = loading.get(customerId);
    long now = nanoTime.getAsLong();
    if (underWay != null && now - underWay.startedAt() < Defaults.CUSTOMER_LOAD_SHARED_FOR.toNanos()) {
      return underWay.answer();
    }
    Load started = new Load(load.apply(customerId), now);
    loading.put(customerId, started);
    return started.answer().onComplete(done -> {
      // The loaded object itself is never handed to a caller (each gets a copy): the view can keep it.
      if (loading.remove(customerId, started) && done.succeeded()) {
        views.put(customerId, View.loaded(done.result(), nanoTime.getAsLong()));
      }
    });
  }

  /**
   * Drops the customer's view when {@code tx} commits, here and on every node; a rollback changed
   * nothing. Statements outside a transaction committed already: dropped now.
   */
  public void changedWhenCommitted(SqlConnection tx, String customerId) {
    dropWhenCommitted.add(tx, customerId);
  }

  /**
   * Customers this node just created (a start's seed): a "not found" that this or another node keeps
   * for one of them is dropped, so they are found at once rather than when that answer ages out.
   */
  public void created(List<String> customerIds) {
    if (!customerIds.isEmpty()) {
      changed(customerIds);
    }
  }

  /** Forgets here at once (this node's next read must not see the old row), then tells the other nodes. */
  private void changed(List<String> customerIds) {
    JsonArray ids = new JsonArray(new ArrayList<>(customerIds));
    forget(ids);
    vertx.eventBus().publish(CHANGED_ADDRESS, ids);
  }

  private void forget(JsonArray customerIds) {
    for (Object id : customerIds) {
      views.computeIfPresent((String) id, (customerId, view) -> view.dropped());
      loading.remove((String) id);
    }
  }
}
