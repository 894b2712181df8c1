package io.ordermesh.launcher.node;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * Mutual TLS on the clustered event bus: every connection between two nodes is encrypted, and each
 * side shows a certificate the other's trust store accepts. A host that joins Hazelcast without such a
 * certificate learns the bus's addresses but can neither send a message to a node nor receive one
 * (the identity headers the services trust ride on those messages).
 *
 * <p>Trust is the store's, not a host name's: nodes reach each other at addresses that change
 * (containers, {@code --cluster-host auto}), so the certificate says "a node of this cluster", and the
 * trust store names the certificates (or the CA) that are.
 *
 * @param keystore PKCS#12 holding this node's private key and certificate
 * @param truststore PKCS#12 of the certificates this node accepts from its peers
 * @param password the password of both stores
 */
public record EventBusTls(Path keystore, Path truststore, String password) {

  public EventBusTls {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("--event-bus-keystore needs --event-bus-keystore-password");
    }
  }

  /**
   * Opens both stores once, so a wrong path or password is refused at the start with the option's
   * name rather than by Vert.x when the first peer connects.
   */
  public static EventBusTls opened(Path keystore, Path truststore, String password) {
    EventBusTls tls = new EventBusTls(keystore, truststore == null ? keystore : truststore, password);
    KeyStore keys = tls.load("--event-bus-keystore", tls.keystore);
    if (!hasPrivateKey(keys)) {
      throw new IllegalArgumentException("--event-bus-keystore " + keystore + " holds no private key");
    }
    KeyStore trusted = tls.load("--event-bus-truststore", tls.truststore);
    if (countCertificates(trusted) == 0) {
      throw new IllegalArgumentException("--event-bus-truststore " + tls.truststore + " holds no certificate");
    }
    return tls;
  }

  /** Event-bus server and client both: TLS, this node's certificate, peers' certificates required. */
  public EventBusOptions applyTo(EventBusOptions options) {
    return options.setSsl(true)
        .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(password))
        .setTrustOptions(new PfxOptions().setPath(truststore.toString()).setPassword(password))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  private KeyStore load(String option, Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      // PKCS#12 reports a wrong password as an IOException whose cause says so.
      throw new IllegalArgumentException(option + " " + path + " cannot be opened (a PKCS#12 file and its "
          + "--event-bus-keystore-password?): " + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
    }
  }

  private static boolean hasPrivateKey(KeyStore store) {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int countCertificates(KeyStore store) {
    try {
      int certificates = 0;
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) != null) {
          certificates++;
        }
      }
      return certificates;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The password stays out of logs and exceptions that print the settings. */
  @Override
  public String toString() {
    return "EventBusTls[keystore=" + keystore + ", truststore=" + truststore + "]";
  }
}
