package io.ordermesh.gateway;

import io.vertx.core.Future;
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
 * token without {@code exp} forever), and for this installation's own HS256 tokens its issuer (the
 * provider checks none, since it also verifies an external issuer's RS256 tokens, whose {@code iss}
 * is theirs). Any refusal is a 401.
 */
final class ClaimRules extends VerifierDecorator {

  ClaimRules(JWTAuth verifier) {
    super(verifier);
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    return verifier.authenticate(credentials).compose(user -> {
      String refusal = refusal(credentials, JwtTokens.claims(user));
      return refusal == null ? Future.succeededFuture(user) : Future.failedFuture(new SecurityException(refusal));
    });
  }

  private static String refusal(Credentials credentials, JsonObject claims) {
    if (!(claims.getValue("sub") instanceof String subject) || subject.isBlank()) {
      return "the token has no subject";
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return "the token has no expiry";
    }
    if (JwtTokens.ALGORITHM.equals(algorithm(credentials)) && !JwtTokens.ISSUER.equals(claims.getValue("iss"))) {
      return "the token was not issued by " + JwtTokens.ISSUER;
    }
    return null;
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
