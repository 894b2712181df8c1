package io.ordermesh.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a token must say besides carrying a good signature, which the JWT provider alone does not ask:
 * a subject (the principal every check and limit is keyed by), an expiry (the provider accepts a
 * token without {@code exp} forever), and its issuer: {@code ordermesh} for this installation's own
 * HS256 tokens, the configured external issuer for RS256 ones (the provider checks none, since it
 * verifies both kinds). An external token must also name the configured audience, when there is one:
 * an identity provider signs tokens for many applications with the same key. Any refusal is a 401.
 */
final class ClaimRules extends VerifierDecorator {

  private final String externalIssuer;
  private final String externalAudience;

  /**
   * @param externalIssuer the {@code iss} external (RS256) tokens must carry; null: not checked
   * @param externalAudience what their {@code aud} must name; null: not checked
   */
  ClaimRules(JWTAuth verifier, String externalIssuer, String externalAudience) {
    super(verifier);
    this.externalIssuer = externalIssuer;
    this.externalAudience = externalAudience;
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    return verifier.authenticate(credentials).compose(user -> {
      String refusal = refusal(credentials, JwtTokens.claims(user));
      return refusal == null ? Future.succeededFuture(user) : Future.failedFuture(new SecurityException(refusal));
    });
  }

  private String refusal(Credentials credentials, JsonObject claims) {
    if (!(claims.getValue("sub") instanceof String subject) || subject.isBlank()) {
      return "the token has no subject";
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return "the token has no expiry";
    }
    boolean ours = JwtTokens.ALGORITHM.equals(algorithm(credentials));
    String issuer = ours ? JwtTokens.ISSUER : externalIssuer;
    if (issuer != null && !issuer.equals(claims.getValue("iss"))) {
      return "the token was not issued by " + issuer;
    }
    if (!ours && externalAudience != null && !names(claims.getValue("aud"), externalAudience)) {
      return "the token is not meant for " + externalAudience;
    }
    return null;
  }

  /** {@code aud} is one string or an array of them (RFC 7519, 4.1.3). */
  private static boolean names(Object audience, String expected) {
    if (audience instanceof String one) {
      return one.equals(expected);
    }
    return audience instanceof JsonArray many && many.contains(expected);
  }

  /** The {@code alg} of the token's header; the verifier has already decoded it, so it is well formed. */
  private static String algorithm(Credentials credentials) {
    if (!(credentials instanceof TokenCredentials bearer) || bearer.getToken() == null) {
      return null;
    }
    String token = bearer.getToken();
    int end = token.indexOf('.');
    byte[] header = Base64.getUrlDecoder().decode(end < 0 ? token : token.substring(0, end));
    return new JsonObject(new String(header, StandardCharsets.UTF_8)).getString("alg");
  }
}
