package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

  private static final long HOUR = 3600;

  private Vertx vertx;
  private CountingVerifier verifier;
  private final AtomicLong now = new AtomicLong(System.currentTimeMillis() / 1000);

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    verifier = new CountingVerifier(JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("a-test-secret-of-enough-length"))));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void checksARepeatedTokenOnceAndAnswersItFromMemory() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 16, now::get);
    String token = token("alice");

    User first = tokens.authenticate(new TokenCredentials(token)).await();
    User second = tokens.authenticate(new TokenCredentials(token)).await();

    assertThat(verifier.calls.get()).isEqualTo(1);
    assertThat(second.subject()).isEqualTo("alice").isEqualTo(first.subject());
    assertThat(JwtTokens.roles(second)).containsExactly("customer");
  }

  @Test
  void letsNoRequestChangeTheUserTheNextRequestOfItsTokenGets() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 16, now::get);
    String token = token("alice");

    User first = tokens.authenticate(new TokenCredentials(token)).await();
    JsonObject claims = first.attributes().getJsonObject("accessToken");

    assertThatThrownBy(() -> first.principal().put("sub", "mallory")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> claims.put("sub", "mallory")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> claims.getJsonArray("roles").add("admin"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> first.attributes().remove("exp")).isInstanceOf(UnsupportedOperationException.class);
    User second = tokens.authenticate(new TokenCredentials(token)).await();
    assertThat(second.subject()).isEqualTo("alice");
    assertThat(JwtTokens.roles(second)).containsExactly("customer");
  }

  @Test
  void sendsARememberedTokenBackToTheVerifierOnceItsExpiryHasCome() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 16, now::get);
    String token = token("alice");
    tokens.authenticate(new TokenCredentials(token)).await();
    long expiresAt = tokens.authenticate(new TokenCredentials(token)).await()
        .attributes().getJsonObject("accessToken").getLong("exp");

    now.set(expiresAt);
    tokens.authenticate(new TokenCredentials(token)).await();

    assertThat(verifier.calls.get()).isEqualTo(2);
  }

  @Test
  void neverRemembersATokenTheVerifierRefused() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 16, now::get);
    String valid = token("alice");
    String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "c2lnbmF0dXJlLW9mLW5vYm9keQ";

    Future<User> first = tokens.authenticate(new TokenCredentials(forged));
    Future<User> second = tokens.authenticate(new TokenCredentials(forged));

    assertThat(first.failed()).isTrue();
    assertThat(second.failed()).isTrue();
    assertThat(verifier.calls.get()).isEqualTo(2);
  }

  @Test
  void forgetsTheLeastRecentlyUsedTokenWhenFull() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 2, now::get);
    String alice = token("alice");
    String bob = token("bob");
    String carol = token("carol");

    tokens.authenticate(new TokenCredentials(alice)).await();
    tokens.authenticate(new TokenCredentials(bob)).await();
    tokens.authenticate(new TokenCredentials(alice)).await();
    tokens.authenticate(new TokenCredentials(carol)).await();
    int beforeBobAgain = verifier.calls.get();
    tokens.authenticate(new TokenCredentials(alice)).await();
    tokens.authenticate(new TokenCredentials(bob)).await();

    assertThat(beforeBobAgain).isEqualTo(3);
    assertThat(verifier.calls.get()).isEqualTo(4);
  }

  private String token(String subject) {
    return verifier.generateToken(new JsonObject().put("sub", subject).put("roles", new io.vertx.core.json.JsonArray()
        .add("customer")), new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) HOUR));
  }

  /** The real HS256 provider, counting how often it is asked. */
  private static final class CountingVerifier implements JWTAuth {
    private final JWTAuth real;
    private final AtomicInteger calls = new AtomicInteger();

    CountingVerifier(JWTAuth real) {
      this.real = real;
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
      calls.incrementAndGet();
      return real.authenticate(credentials);
    }

    @Override
    public String generateToken(JsonObject claims, JWTOptions options) {
      return real.generateToken(claims, options);
    }

    @Override
    public String generateToken(JsonObject claims) {
      return real.generateToken(claims);
    }
  }
}
