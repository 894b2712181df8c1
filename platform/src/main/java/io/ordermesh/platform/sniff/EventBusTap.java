package io.ordermesh.platform.sniff;

import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.interest.ClusterInterest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A non-consuming, cluster-wide tap on the event bus. Interceptors on every node copy each send,
 * publish, request and reply (with its latency, or its failure) to {@link #TAP}; a request that got no
 * reply in its time ({@link BusHeaders#TIMEOUT_MS}), or in a minute, is reported as failed. Only while at
 * least one sniffer is attached anywhere in the cluster, rate-capped per node, with sensitive fields
 * redacted. The tap never registers a consumer on a watched address, so no message is ever taken
 * away from its real recipient.
 */
public final class EventBusTap {

  /** Where copies are published; sniffers consume this address, and only this one. */
  public static final String TAP = "ordermesh.sniff.tap";
  private static final String CHANGED = "ordermesh.sniff.changed";
  private static final String SNIFFERS = "ordermesh.sniffers";
  private static final String OWN_PREFIX = "ordermesh.sniff.";
  private static final String REPLY_PREFIX = "__vertx.reply";
  private static final Duration ATTACHMENT_TTL = Duration.ofSeconds(10);
  /** How often requests that will never be answered are looked for. */
  private static final Duration FORGET_EVERY = Duration.ofSeconds(2);
  private static final int PREVIEW_CHARS = 300;
  private static final int MAX_PENDING = 10_000;
  private static final Duration UNANSWERED = Duration.ofMinutes(1);
  /** Past its timeout, a request's reply has had this long to arrive before the tap calls it lost. */
  private static final long TIMEOUT_GRACE_MS = 50;
  private static final String REDACTED = "***";

  private final Vertx vertx;
  private final String node;
  private final Set<String> redacted;
  private final int maxPerSecond;
  private final Map<String, Pending> pendingRequests = new ConcurrentHashMap<>();

  /** A request waiting for its reply: what it asked, under which correlation id, since when; its timeout's timer. */
  private record Pending(String address, String correlationId, long askedAtNanos, long timer) {
  }
  private final AtomicLong windowStart = new AtomicLong();
  private final AtomicLong inWindow = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** The cluster's sniffers, as of this node's last look; null until the first. */
  private volatile ClusterInterest.Watch sniffers;

  private EventBusTap(Vertx vertx, String node, Set<String> redacted, int maxPerSecond) {
    this.vertx = vertx;
    this.node = node;
    this.redacted = redacted.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.maxPerSecond = maxPerSecond;
  }

  /** Installs the interceptors of this node and follows attachments cluster-wide. */
  public static Future<EventBusTap> install(Vertx vertx, String node, Set<String> redacted, int maxPerSecond) {
    EventBusTap tap = new EventBusTap(vertx, node, redacted, maxPerSecond);
    vertx.eventBus().addOutboundInterceptor(tap::outbound);
    vertx.eventBus().addInboundInterceptor(tap::inbound);
    vertx.setPeriodic(FORGET_EVERY.toMillis(), id -> tap.forgetUnanswered());
    return sniffers(vertx).watch().onSuccess(watch -> tap.sniffers = watch).map(tap);
  }

  private static ClusterInterest sniffers(Vertx vertx) {
    return new ClusterInterest(vertx, SNIFFERS, CHANGED, ATTACHMENT_TTL);
  }

  /** Announces a sniffer; it must {@link #renew} within the TTL or it is forgotten. */
  public static Future<String> attach(Vertx vertx) {
    return sniffers(vertx).register();
  }

  public static Future<Void> renew(Vertx vertx, String id) {
    return sniffers(vertx).renew(id);
  }

  public static Future<Void> detach(Vertx vertx, String id) {
    return sniffers(vertx).withdraw(id);
  }

  /** Requests whose reply never came, and whose timeout the tap did not know, must not pile up. */
  private void forgetUnanswered() {
    long oldest = System.nanoTime() - UNANSWERED.toNanos();
    pendingRequests.entrySet().removeIf(e -> {
      boolean unanswered = e.getValue().askedAtNanos() < oldest;
      if (unanswered) {
        reportUnanswered(e.getValue(), "no reply within " + UNANSWERED.toSeconds() + " s");
      }
      return unanswered;
    });
  }

  private void timedOut(String replyAddress, long timeoutMs) {
    Pending asked = pendingRequests.remove(replyAddress);
    if (asked != null) {
      reportUnanswered(asked, "timed out: no reply within " + timeoutMs + " ms");
    }
  }

  private void reportUnanswered(Pending asked, String why) {
    if (isActive()) {
      emit(copy("reply", asked.address(), asked.correlationId())
          .put("latencyMs", (System.nanoTime() - asked.askedAtNanos()) / 1e6)
          .put("failed", true)
          .put("preview", why));
    }
  }

  public boolean isActive() {
    ClusterInterest.Watch watch = sniffers;
    return watch != null && watch.anyone();
  }

  private void outbound(DeliveryContext<Object> ctx) {
    Message<Object> message = ctx.message();
    if (isActive() && !isOwn(message.address())) {
      String kind = kindOf(message);
      if ("request".equals(kind) && pendingRequests.size() < MAX_PENDING) {
        pendingRequests.put(message.replyAddress(), new Pending(message.address(),
            message.headers().get(BusHeaders.CORRELATION_ID), System.nanoTime(), watchTimeout(message)));
      }
      if (!"reply".equals(kind)) {
        emit(copy(kind, message, ctx.body()));
      }
    }
    ctx.next();
  }

  /**
   * Replies are reported where they arrive, at the requester, which knows what it asked and when:
   * the copy names the request's address and correlation id (a reply carries neither).
   */
  private void inbound(DeliveryContext<Object> ctx) {
    Message<Object> message = ctx.message();
    // Every inbound message passes here; most arrive while nothing is pending, and a remove costs more than a look.
    Pending asked = message.address() == null || pendingRequests.isEmpty()
        ? null
        : pendingRequests.remove(message.address());
    if (asked != null && asked.timer() >= 0) {
      vertx.cancelTimer(asked.timer());
    }
    if (isActive() && asked != null) {
      JsonObject reply = copy("reply", message, ctx.body())
          .put("address", asked.address())
          .put("correlationId", asked.correlationId())
          .put("latencyMs", (System.nanoTime() - asked.askedAtNanos()) / 1e6);
      if (ctx.body() instanceof ReplyException failure) {
        reply.put("failed", true).put("failureCode", failure.failureCode()).put("preview", failure.getMessage());
      }
      emit(reply);
    }
    ctx.next();
  }

  /**
   * Vert.x fails a request that timed out where no interceptor sees it: the tap keeps its own time.
   * Answers the timer, cancelled when the reply comes, or -1 when the request names no timeout.
   */
  private long watchTimeout(Message<Object> request) {
    String timeout = request.headers().get(BusHeaders.TIMEOUT_MS);
    if (timeout == null) {
      return -1;
    }
    try {
      long timeoutMs = Long.parseLong(timeout);
      if (timeoutMs < 1) {
        return -1;
      }
      String replyAddress = request.replyAddress();
      return vertx.setTimer(timeoutMs + TIMEOUT_GRACE_MS, id -> timedOut(replyAddress, timeoutMs));
    } catch (NumberFormatException e) {
      // Not ours to judge: the request is then reported when it is forgotten.
      return -1;
    }
  }

  private JsonObject copy(String kind, Message<Object> message, Object body) {
    return copy(kind, message.address(), message.headers().get(BusHeaders.CORRELATION_ID)).put("preview", preview(body));
  }

  private JsonObject copy(String kind, String address, String correlationId) {
    return new JsonObject()
        .put("time", Instant.now().toString())
        .put("node", node)
        .put("kind", kind)
        .put("address", address)
        .put("correlationId", correlationId);
  }

  private void emit(JsonObject copy) {
    long second = System.currentTimeMillis() / 1000;
    if (windowStart.getAndSet(second) != second) {
      inWindow.set(0);
    }
    if (inWindow.incrementAndGet() > maxPerSecond) {
      dropped.incrementAndGet();
      return;
    }
    vertx.eventBus().publish(TAP, copy);
  }

  /** Copies dropped by the rate cap since this node started. */
  public long dropped() {
    return dropped.get();
  }

  private static String kindOf(Message<Object> message) {
    if (message.address().startsWith(REPLY_PREFIX)) {
      return "reply";
    }
    if (!message.isSend()) {
      return "publish";
    }
    return message.replyAddress() != null ? "request" : "send";
  }

  private static boolean isOwn(String address) {
    return address == null || address.startsWith(OWN_PREFIX);
  }

  private String preview(Object body) {
    String text;
    if (body instanceof JsonObject json) {
      text = redact(json.copy()).encode();
    } else if (body instanceof Buffer bytes) {
      // An answer sent as its JSON text (users.get to the gateway) is shown, and redacted, as its object;
      // other bytes have no field names to redact by.
      text = jsonObjectIn(bytes).map(json -> redact(json).encode()).orElseGet(() -> kindAndSize(bytes));
    } else if (body instanceof JsonArray array) {
      text = redact(array.copy()).encode();
    } else if (body == null || body instanceof Number || body instanceof Boolean) {
      text = String.valueOf(body);
    } else {
      // Text, and bodies of other types, have no field names to redact by: only what they are is shown.
      text = kindAndSize(body);
    }
    return text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) + "…" : text;
  }

  private JsonObject redact(JsonObject json) {
    for (String field : json.fieldNames()) {
      Object value = json.getValue(field);
      if (isRedacted(field)) {
        json.put(field, REDACTED);
      } else if (value instanceof JsonObject nested) {
        redact(nested);
      } else if (value instanceof JsonArray nested) {
        redact(nested);
      }
    }
    return json;
  }

  /** A field is redacted when its name contains a configured name, in any case: {@code customerEmail}, {@code Token}. */
  private boolean isRedacted(String field) {
    String name = field.toLowerCase(Locale.ROOT);
    for (String word : redacted) {
      if (name.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** The object {@code bytes} are the JSON text of, if they are one. */
  private static Optional<JsonObject> jsonObjectIn(Buffer bytes) {
    if (bytes.length() == 0 || bytes.getByte(0) != '{') {
      return Optional.empty();
    }
    try {
      return Optional.of(new JsonObject(bytes));
    } catch (DecodeException notJson) {
      return Optional.empty();
    }
  }

  private static String kindAndSize(Object body) {
    if (body instanceof CharSequence text) {
      return "(text, " + text.length() + " characters)";
    }
    if (body instanceof Buffer bytes) {
      return "(" + bytes.length() + " bytes)";
    }
    if (body instanceof byte[] bytes) {
      return "(" + bytes.length + " bytes)";
    }
    return "(" + body.getClass().getSimpleName() + ")";
  }

  private JsonArray redact(JsonArray array) {
    for (Object value : array) {
      if (value instanceof JsonObject nested) {
        redact(nested);
      } else if (value instanceof JsonArray nested) {
        redact(nested);
      }
    }
    return array;
  }
}
