package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens of an external issuer (RS256), configured by PEM public key or by JWKS URL, are accepted
 * next to the installation's own HS256 tokens; a token signed by any other key is refused.
 */
class ExternalIssuerIT {

  private static final int RSA_BITS = 2048;
  private static final String KID = "issuer-key-1";

  private final TestWorld world = new TestWorld();
  private final KeyPair issuer = rsa();
  private final KeyPair stranger = rsa();
  private final Vertx vertx = Vertx.vertx();
  private OrdermeshNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
    vertx.close();
  }

  @Test
  void acceptsRs256TokensOfTheConfiguredPublicKeyAndRefusesOthers() {
    node = start(new OrdermeshConfig.AuthConfig(TestNodes.TEST_SECRET, TestNodes.shared().auth().tokenTtl(),
        pem("PUBLIC KEY", issuer.getPublic().getEncoded()), null));
    Api api = new Api(node.httpPort());

    assertThat(api.get(rs256(issuer, null), "/api/v1/users/me").statusCode()).isEqualTo(200);
    assertThat(api.get(rs256(stranger, null), "/api/v1/users/me").statusCode()).isEqualTo(401);
    assertThat(api.get(TestWorld.token(world.rich), "/api/v1/users/me").statusCode())
        .as("our own HS256 tokens still work").isEqualTo(200);
  }

  @Test
  void refusesExternalTokensOfAnotherIssuerOrAudienceWhenTheyAreConfigured() {
    node = start(new OrdermeshConfig.AuthConfig(TestNodes.TEST_SECRET, TestNodes.shared().auth().tokenTtl(),
        pem("PUBLIC KEY", issuer.getPublic().getEncoded()), null, "https://idp.example", "ordermesh-api"));
    Api api = new Api(node.httpPort());

    assertThat(api.get(rs256(issuer, null, "https://idp.example", "ordermesh-api"), "/api/v1/users/me").statusCode())
        .isEqualTo(200);
    assertThat(api.get(rs256(issuer, null, "https://idp.example", "billing"), "/api/v1/users/me").statusCode())
        .as("a token the issuer signed for another application").isEqualTo(401);
    assertThat(api.get(rs256(issuer, null, "https://elsewhere.example", "ordermesh-api"), "/api/v1/users/me")
        .statusCode()).as("another issuer").isEqualTo(401);
    assertThat(api.get(TestWorld.token(world.rich), "/api/v1/users/me").statusCode())
        .as("our own HS256 tokens still work").isEqualTo(200);
  }

  @Test
  void acceptsRs256TokensOfAKeyServedByTheJwksUrl() {
    HttpServer jwks = TestNodes.join(vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("keys", new JsonArray().add(jwk((RSAPublicKey) issuer.getPublic()))).encode()))
        .listen(0, "127.0.0.1"));
    node = start(new OrdermeshConfig.AuthConfig(TestNodes.TEST_SECRET, TestNodes.shared().auth().tokenTtl(), null,
        "http://127.0.0.1:" + jwks.actualPort() + "/.well-known/jwks.json"));
    Api api = new Api(node.httpPort());

    assertThat(api.get(rs256(issuer, KID), "/api/v1/users/me").statusCode()).isEqualTo(200);
    assertThat(api.get(rs256(stranger, KID), "/api/v1/users/me").statusCode()).isEqualTo(401);
  }

  private OrdermeshNode start(OrdermeshConfig.AuthConfig auth) {
    OrdermeshConfig c = TestNodes.shared();
    OrdermeshConfig config = new OrdermeshConfig(c.nodeId(), c.http(), c.postgres(), c.kafka(), c.saga(), auth, c.bus(),
        c.outbox(), c.consumer(), c.notification(), c.gateway());
    return TestNodes.start(config, EnumSet.allOf(Service.class), Optional.empty(), world.seed());
  }

  private String rs256(KeyPair keys, String kid) {
    return rs256(keys, kid, null, null);
  }

  private String rs256(KeyPair keys, String kid, String iss, String aud) {
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm("RS256")
        .setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    if (kid != null) {
      key.setId(kid);
    }
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
    JWTOptions options = new JWTOptions().setAlgorithm("RS256").setExpiresInMinutes(5);
    if (kid != null) {
      options.setHeader(new JsonObject().put("kid", kid));
    }
    if (iss != null) {
      options.setIssuer(iss);
    }
    if (aud != null) {
      options.addAudience(aud);
    }
    return signer.generateToken(new JsonObject().put("sub", world.rich), options);
  }

  private static JsonObject jwk(RSAPublicKey key) {
    return new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig").put("kid", KID)
        .put("n", base64Url(key.getModulus())).put("e", base64Url(key.getPublicExponent()));
  }

  private static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(RSA_BITS);
      return generator.generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
