package io.ordermesh.loadtest;

import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.events.Money;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.CountDownLatch;

/**
 * The baseline for the gateway's routed read: the plain Vert.x service a user would otherwise put
 * behind nginx. It answers {@code GET /api/v1/users/me} with the very JSON the user service gives,
 * reading the same row with the same SQL from the same PostgreSQL, per request, and
 * {@code GET /static/users/me} with that JSON read once at start (the pure routing ceiling). It does
 * no authentication, validation, rate limiting or correlation: everything the gateway adds is what
 * the comparison is about. The customer is fixed ({@code --customer}), as the benchmark reads one.
 */
public final class PlainBackend extends VerticleBase {

  static final String DB_PATH = "/api/v1/users/me";
  static final String STATIC_PATH = "/static/users/me";
  /** The same query as the user service's {@code users.get}, on the same table. */
  private static final String GET = "SELECT id, name, email, credit_limit, credit_available FROM "
      + UserAddresses.SCHEMA + ".customers WHERE id = $1";

  /** @param poolSize connections to PostgreSQL; the user service has 8 */
  public record Settings(int port, String postgresUri, String customerId, int poolSize) {
  }

  private final Settings settings;
  private Pool pool;
  private Buffer cached;
  private HttpServer server;

  public PlainBackend(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(settings.poolSize()))
        .connectingTo(PgConnectOptions.fromUri(settings.postgresUri()).setCachePreparedStatements(true))
        .using(vertx)
        .build();
    return read()
        .compose(first -> {
          if (first == null) {
            return Future.failedFuture("no customer " + settings.customerId() + " in " + UserAddresses.SCHEMA
                + ".customers (seed it with run --seed-customers)");
          }
          cached = first.toBuffer();
          return vertx.createHttpServer().requestHandler(this::handle).listen(settings.port());
        })
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return Future.join(server == null ? Future.succeededFuture() : server.close(), pool.close());
  }

  /** The port actually bound. */
  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case STATIC_PATH -> json(request, cached);
      case DB_PATH -> read().onSuccess(found -> {
        if (found == null) {
          request.response().setStatusCode(404).end();
        } else {
          json(request, found.toBuffer());
        }
      }).onFailure(error -> request.response().setStatusCode(500).end());
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static void json(HttpServerRequest request, Buffer body) {
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }

  private Future<JsonObject> read() {
    return pool.preparedQuery(GET).execute(Tuple.of(settings.customerId())).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? view(it.next()) : null;
    });
  }

  /** The user service's JSON for a customer, field for field. */
  private static JsonObject view(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("email", row.getString("email"))
        .put("creditLimit", Money.format(row.getBigDecimal("credit_limit")))
        .put("creditAvailable", Money.format(row.getBigDecimal("credit_available")));
  }

  /**
   * {@code PlainBackend --pg URI [--port 18090] [--customer load-1]}: runs until killed. The launcher's
   * {@code ordermesh bench backend} does the same with its usual option handling.
   */
  public static void main(String[] args) throws InterruptedException {
    String pg = null;
    int port = 18090;
    String customer = "load-1";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--pg" -> pg = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--customer" -> customer = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (pg == null) {
      throw new IllegalArgumentException("--pg postgres://user:password@host:port/db is required");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    int chosen = port;
    vertx.deployVerticle(new PlainBackend(new Settings(port, pg, customer, 8)))
        .onSuccess(id -> System.out.println("plain backend on :" + chosen))
        .onFailure(error -> {
          System.err.println("plain backend failed: " + error.getMessage());
          vertx.close();
        });
    new CountDownLatch(1).await();
  }
}
