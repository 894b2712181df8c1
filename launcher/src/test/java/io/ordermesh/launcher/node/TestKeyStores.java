package io.ordermesh.launcher.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PKCS#12 stores made the way deployment.md tells an operator to: with the JDK's keytool. */
public final class TestKeyStores {

  private TestKeyStores() {
  }

  /** A store holding one EC key pair and its self-signed certificate, alias {@code node}. */
  public static Path keyPair(Path store, String password) throws Exception {
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ordermesh-test",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password);
    return store;
  }

  /** A store holding only the certificate of {@code keys}: one node's certificate, for others to trust. */
  public static Path certificateOf(Path keys, Path trust, String password) throws Exception {
    Path certificate = trust.resolveSibling(trust.getFileName() + ".crt");
    keytool("-exportcert", "-alias", "node", "-keystore", keys.toString(), "-storepass", password,
        "-file", certificate.toString());
    keytool("-importcert", "-noprompt", "-alias", "node", "-file", certificate.toString(), "-storetype", "PKCS12",
        "-keystore", trust.toString(), "-storepass", password);
    return trust;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
