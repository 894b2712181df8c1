package io.ordermesh.gateway;

import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HS256 tokens: {@code sub} is the customer id, {@code roles} may hold {@code admin}. */
public final class JwtTokens {

  private static final Logger LOG = LoggerFactory.getLogger(JwtTokens.class);
  /** Every gateway instance builds a verifier; the warning is said once. */
  private static final AtomicBoolean WARNED_OF_ANY_AUDIENCE = new AtomicBoolean();
  public static final String ALGORITHM = "HS256";
  public static final String ISSUER = "ordermesh";
  private static final String RS256 = "RS256";
  private static final long JWKS_TIMEOUT_MS = 5_000;
  private static final String ROLES_CLAIM = "roles";

  private JwtTokens() {
  }

  /** Verifies and issues HS256 tokens of this installation only. */
  public static JWTAuth provider(Vertx vertx, AuthConfig auth) {
    return JWTAuth.create(vertx, hs256(auth));
  }

  /**
   * Verifies this installation's HS256 tokens and, when configured, an external issuer's RS256 tokens
   * (by PEM public key, and by the keys its JWKS URL serves at start-up).
   */
  public static Future<JWTAuth> verifier(Vertx vertx, AuthConfig auth) {
    if (auth.acceptsExternalTokens() && auth.externalAudience() == null && !WARNED_OF_ANY_AUDIENCE.getAndSet(true)) {
      LOG.warn("RS256 tokens of an external issuer are accepted whatever their audience: give --jwt-audience"
          + " unless every token that issuer signs is meant for this installation");
    }
    JWTAuthOptions options = hs256(auth).setJWTOptions(new JWTOptions());
    if (auth.rs256PublicKeyPem() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(RS256).setBuffer(auth.rs256PublicKeyPem()));
    }
    if (auth.jwksUrl() == null) {
      return Future.succeededFuture(JWTAuth.create(vertx, options));
    }
    WebClient http = WebClient.create(vertx);
    return http.getAbs(auth.jwksUrl()).timeout(JWKS_TIMEOUT_MS).send()
        .map(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("JWKS at " + auth.jwksUrl() + " answered " + response.statusCode());
          }
          JsonArray keys = response.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
          keys.stream().map(JsonObject.class::cast).forEach(options::addJwk);
          return JWTAuth.create(vertx, options);
        })
        .onComplete(ar -> http.close());
  }

  private static JWTAuthOptions hs256(AuthConfig auth) {
    return new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(auth.hs256Secret()))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER));
  }

  /** An authenticated user's JWT claims (they live under the {@code accessToken} attribute). */
  static JsonObject claims(User user) {
    return user.attributes().getJsonObject("accessToken", user.principal());
  }

  public static String issue(Vertx vertx, AuthConfig auth, String subject, List<String> roles) {
    JsonObject claims = new JsonObject().put("sub", subject).put(ROLES_CLAIM, new JsonArray(roles));
    JWTOptions options = new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setIssuer(ISSUER)
        .setExpiresInSeconds((int) auth.tokenTtl().toSeconds());
    return provider(vertx, auth).generateToken(claims, options);
  }

  /** Issues a token outside of any running node (command-line tools, tests): a Vert.x of its own, closed after. */
  public static String issueOffline(AuthConfig auth, String subject, List<String> roles) {
    Vertx vertx = Vertx.vertx();
    try {
      return issue(vertx, auth, subject, roles);
    } finally {
      vertx.close();
    }
  }

  /**
   * The roles claim of an authenticated user, without the roles that would not cross the services'
   * roles header as themselves ({@link Caller#crossesAsItself}): {@code "x,admin"} would be no admin
   * here and an admin there.
   */
  public static Set<String> roles(User user) {
    JsonArray claimed = claims(user).getJsonArray(ROLES_CLAIM);
    if (claimed == null || claimed.isEmpty()) {
      return Set.of();
    }
    // A loop, not a stream and a regular expression: every routed request asks.
    Set<String> roles = new HashSet<>();
    for (Object role : claimed) {
      if (role instanceof String name && Caller.crossesAsItself(name)) {
        roles.add(name);
      }
    }
    return roles;
  }
}
