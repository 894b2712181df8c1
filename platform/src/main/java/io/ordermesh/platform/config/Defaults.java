package io.ordermesh.platform.config;

import java.time.Duration;

/** Documented defaults of {@link OrdermeshConfig}; the launcher's {@code --help} shows the same values. */
public final class Defaults {

  public static final String HTTP_HOST = "0.0.0.0";
  public static final int HTTP_PORT = 8080;
  /** ARCHITECTURE section 4: request bodies are limited to 64 KiB. */
  public static final int HTTP_BODY_LIMIT_BYTES = 64 * 1024;
  /**
   * The largest event the outbox publishes (key, value and headers): Kafka's 1 MiB request limit less
   * room for the headers a DLQ copy adds, so that any event of ours can be parked whole.
   */
  public static final int MAX_EVENT_BYTES = 1024 * 1024 - 64 * 1024;

  public static final int PG_POOL_SIZE = 8;
  /**
   * TCP keepalives PostgreSQL sends on the nodes' connections: a vanished node's sessions (and its
   * outbox relays' locks) are dropped within idle + interval x count, about 25 s.
   */
  public static final Duration PG_KEEPALIVE_IDLE = Duration.ofSeconds(10);
  public static final Duration PG_KEEPALIVE_INTERVAL = Duration.ofSeconds(5);
  public static final int PG_KEEPALIVE_COUNT = 3;
  public static final int EMBEDDED_PG_PORT = 15432;
  public static final String EMBEDDED_PG_DATABASE = "ordermesh";
  public static final String EMBEDDED_PG_USER = "ordermesh";

  public static final int EMBEDDED_KAFKA_PORT = 19092;
  public static final int EMBEDDED_KAFKA_CONTROLLER_PORT = 19093;
  /** Low linger keeps saga latency down; the relay already batches. */
  public static final int KAFKA_LINGER_MS = 1;
  public static final int KAFKA_PARTITIONS = 4;

  public static final Duration SAGA_DEADLINE = Duration.ofSeconds(30);
  /** How long an Idempotency-Key is remembered; like the payment APIs clients know, a day. */
  public static final Duration IDEMPOTENCY_KEY_TTL = Duration.ofHours(24);
  public static final Duration TOKEN_TTL = Duration.ofHours(12);
  /** RFC 7518 3.2: an HS256 key is at least as long as the hash (a shorter one is guessed offline from a token). */
  public static final int MIN_HS256_SECRET_BYTES = 32;
  /**
   * A request that reaches a service this long after its caller's deadline is left undone (the caller
   * answered 504 already). Generous: two hosts' clocks may disagree by some, and only requests that sat
   * somewhere (a frozen node) are meant.
   */
  public static final Duration BUS_DEADLINE_ALLOWANCE = Duration.ofSeconds(2);
  /**
   * A relay leader's session is ended by PostgreSQL after this many of its polls without a query (it
   * is frozen), but never sooner than {@link #OUTBOX_LEADER_MIN_IDLE}: a pause of the node (a collection,
   * a busy machine) is not a freeze.
   */
  public static final int OUTBOX_LEADER_IDLE_POLLS = 10;
  public static final Duration OUTBOX_LEADER_MIN_IDLE = Duration.ofSeconds(5);
  /** ARCHITECTURE section 7: gateway routes time out after 2 s. */
  public static final Duration BUS_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /**
   * The order service's early customer check must give up well before the gateway's 2 s: it is only
   * an optimisation, the saga's credit step decides anyway.
   */
  public static final Duration CUSTOMER_CHECK_TIMEOUT = Duration.ofMillis(500);
  /**
   * How many customers' profiles a user service keeps in memory for {@code users.get}, and for how long
   * at most: a view is dropped when its customer's credit changes, the age limit only bounds what a
   * lost cluster-wide change notice could leave stale.
   */
  public static final int CUSTOMER_VIEWS = 10_000;
  public static final Duration CUSTOMER_VIEW_TTL = Duration.ofSeconds(5);
  /**
   * How long reads of a customer that miss the views join the query for them already under way: a
   * query of one row answers in about a millisecond, so only a hung one (a connection gone silent; the
   * pool sets no query timeout) is this old, and later reads do not wait on it.
   */
  public static final Duration CUSTOMER_LOAD_SHARED_FOR = Duration.ofSeconds(1);
  /**
   * Gateway instances a node deploys: one per core, sharing the HTTP port, so requests are parsed,
   * checked and answered on every event loop (one instance saturated one core on a routed read while
   * the other idled).
   */
  public static final int GATEWAY_INSTANCES = Runtime.getRuntime().availableProcessors();
  /** Catalogue reads have a stale fallback, so they fail fast. */
  public static final Duration CATALOGUE_TIMEOUT = Duration.ofMillis(400);

  public static final Duration OUTBOX_POLL_INTERVAL = Duration.ofSeconds(1);
  /** Work retried on a timer that keeps failing says so at most this often (FailureStreak). */
  public static final Duration FAILURE_REPORT_INTERVAL = Duration.ofSeconds(30);
  /**
   * A warning that can come with every request while something is wrong (a request that reached its
   * service after its caller gave up; a placement whose customer could not be checked while the user
   * service is out of reach) is logged for the first, then at most once this often, with how many
   * came in between (ThrottledWarning); the late requests' counter has each of those.
   */
  public static final Duration REPEATED_WARNING_INTERVAL = Duration.ofSeconds(10);
  public static final int OUTBOX_BATCH_SIZE = 256;
  public static final Duration OUTBOX_LOCK_RETRY_INTERVAL = Duration.ofSeconds(2);
  /**
   * A relay batch (read, send, delete) that has not ended by then is hung (the producer itself gives up
   * on a send after 30 s): the relay closes its connection, which ends its lock, and waits two lock
   * retry intervals, for a standby to lead, before it tries again.
   */
  public static final Duration OUTBOX_BATCH_DEADLINE = Duration.ofSeconds(60);

  public static final Duration CONSUMER_POLL_TIMEOUT = Duration.ofMillis(200);
  public static final int CONSUMER_MAX_ATTEMPTS = 5;
  public static final Duration CONSUMER_RETRY_BACKOFF = Duration.ofMillis(100);
  /**
   * A consumer commits its offsets at most this often (and when it stops), not after every poll: each
   * commit is a request the broker writes to its offsets log. What a crash leaves uncommitted is
   * delivered again and dropped by the inbox.
   */
  public static final Duration CONSUMER_OFFSET_COMMIT_INTERVAL = Duration.ofMillis(250);
  /** Kafka keeps nothing for us longer than this, so an older inbox row can no longer stop a duplicate. */
  public static final Duration INBOX_RETENTION = Duration.ofDays(7);
  public static final Duration INBOX_PURGE_INTERVAL = Duration.ofMinutes(10);

  /** ARCHITECTURE section 7: provider calls time out after 3 s. */
  public static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(3);
  /** ARCHITECTURE section 7: exponential backoff with full jitter, base 50 ms, cap 2 s, 3 attempts. */
  public static final int RETRY_ATTEMPTS = 3;
  public static final Duration RETRY_BASE = Duration.ofMillis(50);
  public static final Duration RETRY_CAP = Duration.ofSeconds(2);
  /** ARCHITECTURE section 7: retries at most 20% of calls over 10 s. */
  public static final double RETRY_BUDGET_RATIO = 0.2;
  public static final Duration RETRY_BUDGET_WINDOW = Duration.ofSeconds(10);
  public static final int BULKHEAD_MAX_CONCURRENT = 256;
  public static final int BREAKER_MAX_FAILURES = 5;
  public static final Duration BREAKER_RESET = Duration.ofSeconds(10);
  /** A failed notification waits this long before its next round, twice as long after each further one... */
  public static final Duration NOTIFICATION_PARK_FOR = Duration.ofSeconds(30);
  /** ...but never longer than this... */
  public static final Duration NOTIFICATION_PARK_CAP = Duration.ofHours(1);
  /** ...and after this many failed rounds (about five hours with the two above) it is given up: FAILED. */
  public static final int NOTIFICATION_MAX_ROUNDS = 12;
  /** A consumer that does not poll for this long leaves its group (KafkaClients). */
  public static final Duration CONSUMER_MAX_POLL_INTERVAL = Duration.ofSeconds(30);
  public static final int MAILBOX_PORT = 8025;
  /** The built-in mailbox shows every notification to whoever asks: this machine only, unless told. */
  public static final String MAILBOX_HOST = "127.0.0.1";
  /** Requests per second per principal at the gateway; bursts may reach twice that. */
  public static final int RATE_LIMIT_PER_SECOND = 100;
  /**
   * How often gateway instances publish what each principal spent: the cluster-wide limit may be
   * overrun by at most what the other instances let through in one interval.
   */
  public static final Duration RATE_LIMIT_SHARE_INTERVAL = Duration.ofMillis(100);

  /**
   * Accepted bearer tokens a gateway instance remembers (least recently used go first), so a client's
   * token is decoded and its signature checked once rather than per request; about 2 KiB each.
   */
  public static final int GATEWAY_REMEMBERED_TOKENS = 4096;

  private Defaults() {
  }
}
