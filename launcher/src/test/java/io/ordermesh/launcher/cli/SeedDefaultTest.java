package io.ordermesh.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.launcher.Main;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A run seeds the demo world on a database of its own machine, never unasked into a remote one. */
class SeedDefaultTest {

  private static final String REMOTE = "postgres://ordermesh:secret@db.internal:5432/ordermesh";

  @Test
  void seedsTheDemoWorldAndPrintsItsTokenWithEmbeddedOrLoopbackPostgres() {
    for (String[] args : new String[][] {{}, {"--pg", "postgres://u:p@127.0.0.1:5432/om"},
        {"--pg", "postgres://u:p@localhost/om"}, {"--pg", "postgres://u:p@[::1]:5432/om"},
        {"--pg", "postgres://u:p@/om?host=/var/run/postgresql"}, {"--pg", "postgresql://u:p@LOCALHOST:5432/om"},
        {"--pg", "postgres://u:p@db.internal/om?host=127.0.0.1"}}) {
      RunCommand run = parse(Map.of(), args);
      assertThat(run.seeding()).as(String.join(" ", args)).isTrue();
      assertThat(run.printsDemoToken()).as(String.join(" ", args)).isTrue();
    }
  }

  @Test
  void seedsNothingIntoARemoteDatabaseUnlessAskedAndPrintsNoDemoToken() {
    RunCommand unasked = parse(Map.of(), "--pg", REMOTE);
    RunCommand asked = parse(Map.of(), "--pg", REMOTE, "--seed");
    RunCommand askedByEnvironment = parse(Map.of("ORDERMESH_SEED", "true"), "--pg", REMOTE);
    RunCommand loadCustomers = parse(Map.of(), "--pg", REMOTE, "--seed-customers", "10");

    assertThat(unasked.seeding()).isFalse();
    assertThat(unasked.printsDemoToken()).isFalse();
    assertThat(asked.seeding()).isTrue();
    assertThat(askedByEnvironment.seeding()).isTrue();
    assertThat(loadCustomers.seeding()).as("asking for load customers asks for the seed").isTrue();
  }

  @Test
  void aServiceOnARemoteDatabaseOfItsOwnTurnsTheDefaultSeedOff() {
    RunCommand remoteUsers = parse(Map.of(), "--pg-service", "user=" + REMOTE);
    RunCommand localOrders = parse(Map.of(), "--pg-service", "order=postgres://u:p@127.0.0.1/orders");
    RunCommand fromEnvironment = parse(Map.of("ORDERMESH_PG_SERVICE", "order=postgres://u:p@localhost/o,user=" + REMOTE));

    assertThat(remoteUsers.seeding()).isFalse();
    assertThat(localOrders.seeding()).isTrue();
    assertThat(fromEnvironment.serviceDatabases()).containsOnlyKeys("order", "user");
    assertThat(fromEnvironment.seeding()).isFalse();
  }

  @Test
  void aDatabaseForSomethingThatIsNotAServiceIsRefused() {
    RunCommand gateway = parse(Map.of(), "--pg-service", "gateway=" + REMOTE);

    org.assertj.core.api.Assertions.assertThatThrownBy(gateway::serviceDatabases)
        .hasMessageContaining("unknown service 'gateway'");
  }

  @Test
  void theFlagOnTheCommandLineWinsOverTheEnvironmentEitherWay() {
    assertThat(parse(Map.of("ORDERMESH_SEED", "true"), "--no-seed").seeding()).isFalse();
    assertThat(parse(Map.of("ORDERMESH_SEED", "false"), "--seed").seeding()).isTrue();
    assertThat(parse(Map.of("ORDERMESH_SEED", "false")).seeding()).isFalse();
  }

  @Test
  void noSeedWinsEverywhereAndASeedFileGetsNoDemoToken() {
    assertThat(parse(Map.of(), "--no-seed").seeding()).isFalse();
    assertThat(parse(Map.of(), "--pg", "postgres://u:p@localhost/om", "--no-seed").seeding()).isFalse();
    assertThat(parse(Map.of(), "--seed-file", "world.json").printsDemoToken())
        .as("its customers are not the demo's").isFalse();
  }

  @Test
  void aHostThatOnlyLooksLocalIsRemote() {
    assertThat(LocalDatabase.isLoopback("postgres://u:p@localhost.example.com/om")).isFalse();
    assertThat(LocalDatabase.isLoopback("postgres://u:p@10.0.0.5/om")).isFalse();
    assertThat(LocalDatabase.isLoopback("postgres://u:p@my_db:5432/om")).isFalse();
    assertThat(LocalDatabase.isLoopback("not a url")).isFalse();
    assertThat(LocalDatabase.isLoopback("postgres://u:p@127.db.corp/om")).isFalse();
    assertThat(LocalDatabase.isLoopback("postgres://u:p@/om?host=db.internal")).as("the query's host wins").isFalse();
    assertThat(LocalDatabase.isLoopback("postgres://u:p@localhost/om?hostaddr=10.0.0.5")).isFalse();
    assertThat(LocalDatabase.isLoopback("jdbc:postgresql://localhost/om")).as("not a PostgreSQL URL").isFalse();
    assertThat(LocalDatabase.isLoopback("db:5432/om")).isFalse();
  }

  private static RunCommand parse(Map<String, String> env, String... args) {
    CommandLine commandLine = Main.commandLine().setDefaultValueProvider(new ConfigFileDefaults(env));
    String[] all = new String[args.length + 1];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);
    return (RunCommand) commandLine.parseArgs(all).subcommand().commandSpec().userObject();
  }
}
