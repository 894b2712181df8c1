package io.ordermesh.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts on one switch, on this machine: each "host" is a network namespace whose only link is a veth
 * pair plugged into a bridge in the root namespace, with an address on a private /24. The bridge's own
 * address is this machine as the namespaces see it (where relays to the test PostgreSQL and Kafka
 * listen). {@link #cut} pulls a host's cable (the bridge end of its veth goes down: packets are dropped,
 * nothing is refused, just like a real partition) and {@link #heal} plugs it back.
 *
 * <p>Needs root (CAP_SYS_ADMIN for {@code ip netns add}, CAP_NET_ADMIN for links) and iproute2;
 * {@link #unavailableBecause()} says why a machine cannot. Every name carries this JVM's pid
 * ({@code omp<pid>...}), so runs side by side never touch each other's, and a run cleans up what
 * killed runs left behind (names whose pid is gone) before it starts.
 */
final class NetworkLab implements AutoCloseable {

  private static final String PREFIX = "omp";
  private static final long PID = ProcessHandle.current().pid();
  private static final String OWN = PREFIX + PID;
  private static final Pattern LEFTOVER = Pattern.compile("^" + PREFIX + "(\\d+)(?:br|h\\d+|n\\d+|-.+)$");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
  /** Private /24s to choose from: 10.231.x.0/24, the third octet starting from a pid-derived one. */
  private static final String SUBNETS = "10.231.";
  private static final int FIRST_HOST = 11;
  private static String subnet;

  private final Map<String, Integer> hosts = new LinkedHashMap<>();
  private boolean bridgeCreated;

  private NetworkLab() {
  }

  /**
   * The address of this machine on the lab's bridge, e.g. {@code 10.231.17.1}; fixed for the life of
   * this JVM, so a listener can advertise it before any lab exists.
   */
  static synchronized String bridgeAddress() {
    if (subnet == null) {
      subnet = freeSubnet();
    }
    return subnet + "1";
  }

  /** Why namespaces cannot be used here, or empty when they can. */
  static Optional<String> unavailableBecause() {
    String probe = OWN + "-probe";
    Result add;
    try {
      add = run("ip", "netns", "add", probe);
    } catch (IllegalStateException e) {
      return Optional.of("iproute2's `ip` cannot be run (" + e.getMessage() + ")");
    }
    if (!add.ok()) {
      return Optional.of("`ip netns add` was refused (" + add.output().strip()
          + "): network namespaces need root, or CAP_SYS_ADMIN and CAP_NET_ADMIN");
    }
    run("ip", "netns", "del", probe);
    return Optional.empty();
  }

  /** Removes what killed runs left behind, then creates this run's bridge. */
  static NetworkLab create() {
    removeLeftovers();
    NetworkLab lab = new NetworkLab();
    String bridge = lab.bridge();
    check(run("ip", "link", "add", bridge, "type", "bridge"));
    lab.bridgeCreated = true;
    check(run("ip", "addr", "add", bridgeAddress() + "/24", "dev", bridge));
    check(run("ip", "link", "set", bridge, "up"));
    // A test JVM stopped by a signal cleans up too; a killed one is cleaned up by the next run.
    Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "network-lab-cleanup"));
    return lab;
  }

  /** Adds a host (a namespace plugged into the bridge) and answers its address. */
  String addHost(String name) {
    int index = hosts.size() + 1;
    String namespace = namespace(name);
    String hostEnd = OWN + "h" + index;
    String nsEnd = OWN + "n" + index;
    String address = subnet + (FIRST_HOST + index - 1);
    check(run("ip", "netns", "add", namespace));
    hosts.put(name, index);
    check(run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd));
    check(run("ip", "link", "set", nsEnd, "netns", namespace));
    check(run("ip", "link", "set", hostEnd, "master", bridge(), "up"));
    check(run("ip", "-n", namespace, "link", "set", "lo", "up"));
    check(run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", nsEnd));
    check(run("ip", "-n", namespace, "link", "set", nsEnd, "up"));
    return address;
  }

  /** The namespace a process must enter to run on this host ({@code ip netns exec <it> ...}). */
  String namespace(String host) {
    return OWN + "-" + host;
  }

  /** Pulls the host's cable: its packets go nowhere, and nobody's reach it, until {@link #heal}. */
  void cut(String host) {
    check(run("ip", "link", "set", hostEnd(host), "down"));
  }

  void heal(String host) {
    check(run("ip", "link", "set", hostEnd(host), "up"));
  }

  /** Plugs every host back in, whatever state it is in. */
  void healAll() {
    hosts.keySet().forEach(host -> run("ip", "link", "set", hostEnd(host), "up"));
  }

  /** Stops whatever still runs in this lab's namespaces, then deletes them and the bridge. */
  @Override
  public synchronized void close() {
    for (String host : hosts.keySet()) {
      deleteNamespace(namespace(host));
    }
    hosts.clear();
    if (bridgeCreated) {
      run("ip", "link", "del", bridge());
      bridgeCreated = false;
    }
  }

  private String bridge() {
    return OWN + "br";
  }

  private String hostEnd(String host) {
    Integer index = hosts.get(host);
    if (index == null) {
      throw new IllegalArgumentException("no host " + host + " in this lab; hosts: " + hosts.keySet());
    }
    return OWN + "h" + index;
  }

  /** Kills the processes still inside (nodes of this lab or of a killed run), then deletes the namespace. */
  private static void deleteNamespace(String namespace) {
    Result pids = run("ip", "netns", "pids", namespace);
    if (pids.ok()) {
      pids.output().lines().map(String::strip).filter(l -> l.matches("\\d+")).map(Long::parseLong)
          .forEach(pid -> ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
          }));
    }
    // Deleting the namespace destroys its veth end, and with it the bridge end.
    run("ip", "netns", "del", namespace);
  }

  private static void removeLeftovers() {
    for (String namespace : names(run("ip", "netns", "list").output(), "^(\\S+)")) {
      if (isLeftover(namespace)) {
        deleteNamespace(namespace);
      }
    }
    for (String link : names(run("ip", "-o", "link", "show").output(), "^\\d+:\\s+([^:@\\s]+)")) {
      if (isLeftover(link)) {
        run("ip", "link", "del", link);
      }
    }
  }

  /** A lab name of a run whose JVM is gone. */
  private static boolean isLeftover(String name) {
    Matcher m = LEFTOVER.matcher(name);
    return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
  }

  private static List<String> names(String listing, String regex) {
    Pattern pattern = Pattern.compile(regex);
    List<String> names = new ArrayList<>();
    listing.lines().forEach(line -> {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    });
    return names;
  }

  /** A 10.231.x.0/24 no interface or route of this machine uses yet, as {@code "10.231.x."}. */
  private static String freeSubnet() {
    String inUse;
    try {
      inUse = run("ip", "-4", "route", "show", "table", "all").output() + run("ip", "-4", "addr").output();
    } catch (IllegalStateException e) {
      inUse = "";
    }
    int start = (int) (PID % 250);
    for (int i = 0; i < 250; i++) {
      String candidate = SUBNETS + ((start + i) % 250 + 1) + ".";
      if (!inUse.contains(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("every 10.231.x.0/24 is in use on this machine");
  }

  private record Result(String command, int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private static void check(Result result) {
    if (!result.ok()) {
      throw new IllegalStateException("`" + result.command() + "` failed (exit " + result.exitCode() + "): "
          + result.output().strip());
    }
  }

  private static Result run(String... command) {
    try {
      Path output = Files.createTempFile("network-lab", ".out");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
        }
        return new Result(String.join(" ", command), process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
