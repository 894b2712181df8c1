package io.ordermesh.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * A JWT provider that adds something to another's {@code authenticate} and issues tokens as it does.
 * The gateway's verifier is a stack of them: {@link VerifiedTokens} remembering what {@link ClaimRules}
 * accepted of what the provider verified.
 */
abstract class VerifierDecorator implements JWTAuth {

  protected final JWTAuth verifier;

  protected VerifierDecorator(JWTAuth verifier) {
    this.verifier = verifier;
  }

  @Override
  public final String generateToken(JsonObject claims, JWTOptions options) {
    return verifier.generateToken(claims, options);
  }

  @Override
  public final String generateToken(JsonObject claims) {
    return verifier.generateToken(claims);
  }
}
