package io.ordermesh.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Remembers the bearer tokens the JWT provider accepted, so that a client sending the same token with
 * every request pays for its decoding and signature check once, not per request (on the routed read
 * that was about 6% of a node's CPU: two base64 and JSON decodes and an HMAC each time).
 *
 * <p>Only accepted tokens are remembered, under their exact text, so a hit is a token whose bytes
 * already passed the same check. A remembered token is refused from memory no later than the provider
 * would refuse it: its {@code exp} is checked against the clock on every use, and once past it the
 * token goes back to the provider (which refuses it). The user a remembered token stands for is
 * read-only, all the way down: every request of that token gets the same one, and a handler that tried
 * to change it would fail rather than change the next request's caller (a copy per request was 3% of
 * the node's CPU on the routed read). The memory is bounded (least recently used tokens go first) and
 * belongs to one verticle instance, whose event loop is the only thread that calls it.
 */
final class VerifiedTokens extends VerifierDecorator {

  private final LongSupplier epochSeconds;
  private final Map<String, User> accepted;

  VerifiedTokens(JWTAuth verifier, int capacity, LongSupplier epochSeconds) {
    super(verifier);
    this.epochSeconds = epochSeconds;
    this.accepted = new LinkedHashMap<>(capacity, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, User> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    if (!(credentials instanceof TokenCredentials bearer) || bearer.getToken() == null) {
      return verifier.authenticate(credentials);
    }
    String token = bearer.getToken();
    User known = accepted.get(token);
    if (known != null && !expired(known)) {
      return Future.succeededFuture(known);
    }
    accepted.remove(token);
    return verifier.authenticate(credentials)
        .map(VerifiedTokens::readOnly)
        .onSuccess(user -> accepted.put(token, user));
  }

  private boolean expired(User user) {
    Long expiresAt = JwtTokens.claims(user).getLong("exp");
    return expiresAt != null && epochSeconds.getAsLong() >= expiresAt;
  }

  private static User readOnly(User user) {
    return User.create(readOnly(user.principal()), readOnly(user.attributes()));
  }

  private static JsonObject readOnly(JsonObject json) {
    if (json == null) {
      return null;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    json.forEach(field -> fields.put(field.getKey(), readOnlyValue(field.getValue())));
    return new JsonObject(Collections.unmodifiableMap(fields));
  }

  private static Object readOnlyValue(Object value) {
    if (value instanceof JsonObject object) {
      return readOnly(object);
    }
    if (value instanceof JsonArray array) {
      List<Object> items = new ArrayList<>(array.size());
      array.forEach(item -> items.add(readOnlyValue(item)));
      return new JsonArray(Collections.unmodifiableList(items));
    }
    return value;
  }
}
