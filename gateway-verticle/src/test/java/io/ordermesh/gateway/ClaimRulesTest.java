package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens with a good signature that still say too little, or the wrong thing, are refused. */
class ClaimRulesTest {

  private static final String SECRET = "a-test-secret-of-enough-length";

  private Vertx vertx;
  private KeyPair external;
  private ClaimRules rules;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    external = generator.generateKeyPair();
    // As the gateway's verifier is set up: this installation's HS256 key and an external RS256 key,
    // with no issuer required by the provider.
    rules = rules(null, null);
  }

  private ClaimRules rules(String externalIssuer, String externalAudience) {
    return new ClaimRules(JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256")
            .setBuffer(pem("PUBLIC KEY", external.getPublic().getEncoded())))), externalIssuer, externalAudience);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void acceptsOurTokenWithSubjectExpiryAndIssuer() {
    String token = ours(new JsonObject().put("sub", "alice"), new JWTOptions().setIssuer("ordermesh").setExpiresInMinutes(5));

    assertThat(authenticate(token).await().subject()).isEqualTo("alice");
  }

  @Test
  void refusesATokenThatNeverExpires() {
    String token = ours(new JsonObject().put("sub", "alice"), new JWTOptions().setIssuer("ordermesh"));

    assertThat(authenticate(token).failed()).isTrue();
  }

  @Test
  void refusesATokenWithoutSubject() {
    String token = ours(new JsonObject().put("roles", new io.vertx.core.json.JsonArray().add("admin")),
        new JWTOptions().setIssuer("ordermesh").setExpiresInMinutes(5));

    assertThat(authenticate(token).failed()).isTrue();
  }

  @Test
  void refusesAnHs256TokenFromAnotherIssuerOrNone() {
    String other = ours(new JsonObject().put("sub", "alice"), new JWTOptions().setIssuer("someone-else").setExpiresInMinutes(5));
    String none = ours(new JsonObject().put("sub", "alice"), new JWTOptions().setExpiresInMinutes(5));

    assertThat(authenticate(other).failed()).isTrue();
    assertThat(authenticate(none).failed()).isTrue();
  }

  @Test
  void acceptsTheExternalIssuersRs256TokenWithItsOwnIssuerWhenNoneIsConfigured() {
    String token = external(new JWTOptions().setIssuer("https://idp.example"));

    assertThat(authenticate(token).await().subject()).isEqualTo("alice");
  }

  @Test
  void holdsExternalTokensToTheConfiguredIssuerAndAudience() {
    rules = rules("https://idp.example", "ordermesh-api");

    assertThat(authenticate(external(new JWTOptions().setIssuer("https://idp.example").addAudience("ordermesh-api")))
        .await().subject()).isEqualTo("alice");
    assertThat(authenticate(external(new JWTOptions().setIssuer("https://idp.example")
        .addAudience("billing").addAudience("ordermesh-api"))).succeeded()).as("one of several audiences").isTrue();
    assertThat(authenticate(external(new JWTOptions().setIssuer("https://idp.example").addAudience("billing")))
        .failed()).as("another application's token").isTrue();
    assertThat(authenticate(external(new JWTOptions().setIssuer("https://idp.example"))).failed())
        .as("no audience").isTrue();
    assertThat(authenticate(external(new JWTOptions().setIssuer("https://elsewhere.example")
        .addAudience("ordermesh-api"))).failed()).as("another issuer").isTrue();
    assertThat(authenticate(ours(new JsonObject().put("sub", "alice"),
        new JWTOptions().setIssuer("ordermesh").setExpiresInMinutes(5))).succeeded())
        .as("our own tokens carry no audience").isTrue();
  }

  private String external(JWTOptions options) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("RS256").setBuffer(pem("PRIVATE KEY", external.getPrivate().getEncoded()))));
    return signer.generateToken(new JsonObject().put("sub", "alice"),
        options.setAlgorithm("RS256").setExpiresInMinutes(5));
  }

  private Future<User> authenticate(String token) {
    Future<User> user = rules.authenticate(new TokenCredentials(token));
    user.otherwiseEmpty().await();
    return user;
  }

  private String ours(JsonObject claims, JWTOptions options) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(SECRET))).generateToken(claims, options.setAlgorithm("HS256"));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
