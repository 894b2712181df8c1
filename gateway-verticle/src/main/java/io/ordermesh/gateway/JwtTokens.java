package io.ordermesh.gateway;

import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** HS256 tokens: {@code sub} is the customer id, {@code roles} may hold {@code admin}. */
public final class JwtTokens {

  public static final String ALGORITHM = "HS256";
  public static final String ISSUER = "ordermesh";
  private static final String ROLES_CLAIM = "roles";

  private JwtTokens() {
  }

  public static JWTAuth provider(Vertx vertx, AuthConfig auth) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(auth.hs256Secret()))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER)));
  }

  public static String issue(Vertx vertx, AuthConfig auth, String subject, List<String> roles) {
    JsonObject claims = new JsonObject().put("sub", subject).put(ROLES_CLAIM, new JsonArray(roles));
    JWTOptions options = new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setIssuer(ISSUER)
        .setExpiresInSeconds((int) auth.tokenTtl().toSeconds());
    return provider(vertx, auth).generateToken(claims, options);
  }

  /** The roles claim of an authenticated user (JWT claims live under the {@code accessToken} attribute). */
  public static Set<String> roles(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    JsonArray roles = claims.getJsonArray(ROLES_CLAIM, new JsonArray());
    return roles.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet());
  }
}
