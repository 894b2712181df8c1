package io.ordermesh.infra.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account PostgreSQL runs under. initdb and postgres refuse to run as root, so a root JVM runs
 * them as {@code nobody} through {@code setpriv} and hands them the files they need; any other user
 * runs them as itself.
 *
 * <p>Where {@code setpriv} exists the server also gets a parent-death signal, so it stops when the JVM
 * dies, even by SIGKILL. The kernel sends that signal when the <em>thread</em> that forked the child
 * ends, so such commands must be started from a thread that outlives the server.
 *
 * <p>Where {@code setsid} exists the server runs in a session of its own. A terminal's Ctrl-C goes to
 * its whole foreground process group: in the JVM's group, PostgreSQL took it as a fast shutdown and
 * went away while the node was still draining into it. Out of that group, it stops when the launcher
 * stops it, after the node, or when the JVM dies.
 */
final class ServerUser {

  private static final Logger LOG = LoggerFactory.getLogger(ServerUser.class);

  private static final int ROOT_UID = 0;
  private static final String UNPRIVILEGED_USER = "nobody";
  /** Debian and Ubuntu call nobody's group nogroup; Red Hat and Alpine call it nobody. */
  private static final List<String> UNPRIVILEGED_GROUPS = List.of("nogroup", "nobody");
  private static final String SETPRIV = "setpriv";
  private static final String SETSID = "setsid";
  /** SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit. */
  private static final String PARENT_DEATH_SIGNAL = "INT";

  private final boolean switchesToNobody;
  private final Optional<Path> setpriv;
  private final Optional<Path> setsid;
  private final String group;

  private ServerUser(boolean switchesToNobody, Optional<Path> setpriv, Optional<Path> setsid, String group) {
    this.switchesToNobody = switchesToNobody;
    this.setpriv = setpriv;
    this.setsid = setsid;
    this.group = group;
  }

  static ServerUser forThisProcess() {
    Optional<Path> setpriv = findOnPath(SETPRIV);
    Optional<Path> setsid = findOnPath(SETSID);
    if (currentUid() != ROOT_UID) {
      return new ServerUser(false, setpriv, setsid, null);
    }
    if (setpriv.isEmpty()) {
      throw new IllegalStateException("PostgreSQL refuses to run as root, and " + SETPRIV
          + " (util-linux), needed to run it as '" + UNPRIVILEGED_USER + "', is not on the PATH");
    }
    return new ServerUser(true, setpriv, setsid, unprivilegedGroup());
  }

  boolean switchesToNobody() {
    return switchesToNobody;
  }

  /** A command run as the server user, for tools that finish while their caller waits (initdb, pg_ctl). */
  List<String> command(List<String> command) {
    return wrapped(command, false);
  }

  /**
   * The server's own command: as {@link #command}, plus the parent-death signal where setpriv exists,
   * in a session of its own where setsid exists. setsid makes the session in the process it runs in
   * (a child of the JVM is no group leader, so it does not fork): the pid the JVM sees is the server's.
   */
  List<String> supervisedCommand(List<String> command) {
    List<String> wrapped = wrapped(command, true);
    if (setsid.isEmpty()) {
      return wrapped;
    }
    List<String> full = new ArrayList<>();
    full.add(setsid.get().toString());
    full.addAll(wrapped);
    return full;
  }

  private List<String> wrapped(List<String> command, boolean stopWithParent) {
    if (setpriv.isEmpty() || (!switchesToNobody && !stopWithParent)) {
      return command;
    }
    List<String> full = new ArrayList<>();
    full.add(setpriv.get().toString());
    if (switchesToNobody) {
      full.addAll(List.of("--reuid=" + UNPRIVILEGED_USER, "--regid=" + group, "--clear-groups"));
    }
    if (stopWithParent) {
      full.add("--pdeathsig=" + PARENT_DEATH_SIGNAL);
    }
    full.add("--");
    full.addAll(command);
    return full;
  }

  /**
   * Fails, naming the directory, when {@code nobody} cannot walk down to {@code root}; {@code root}
   * itself is handed over by {@link #takeOwnership}. Checks mode bits only, not ACLs.
   */
  void requireCanReach(Path root) throws IOException {
    if (!switchesToNobody) {
      return;
    }
    UserPrincipal nobody = lookup().lookupPrincipalByName(UNPRIVILEGED_USER);
    GroupPrincipal nogroup = lookup().lookupPrincipalByGroupName(group);
    for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
      PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
      if (!searchableBy(attributes, nobody, nogroup)) {
        throw new IllegalStateException("PostgreSQL refuses to run as root, so it runs as '" + UNPRIVILEGED_USER
            + "', which cannot enter " + dir + " (mode " + PosixFilePermissions.toString(attributes.permissions())
            + ", owner " + attributes.owner().getName() + ") on the way to " + root
            + ". Choose a PostgreSQL location that '" + UNPRIVILEGED_USER
            + "' can reach (for example under /var/tmp or /srv), or run as a non-root user.");
      }
    }
  }

  private static boolean searchableBy(PosixFileAttributes attributes, UserPrincipal user, GroupPrincipal group) {
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (attributes.owner().equals(user)) {
      return permissions.contains(PosixFilePermission.OWNER_EXECUTE);
    }
    if (attributes.group().equals(group)) {
      return permissions.contains(PosixFilePermission.GROUP_EXECUTE);
    }
    return permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
  }

  /**
   * Hands everything under {@code root} to the server user. Walks the tree only when the root or the
   * data directory has another owner, which after the first start means someone changed it.
   */
  void takeOwnership(Path root, Path data) throws IOException {
    if (!switchesToNobody) {
      return;
    }
    UserPrincipal nobody = lookup().lookupPrincipalByName(UNPRIVILEGED_USER);
    if (ownedBy(root, nobody) && (Files.notExists(data) || ownedBy(data, nobody))) {
      return;
    }
    LOG.info("handing {} to {}:{}", root, UNPRIVILEGED_USER, group);
    GroupPrincipal nogroup = lookup().lookupPrincipalByGroupName(group);
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
        chown(dir, nobody, nogroup);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        chown(file, nobody, nogroup);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Hands one file (the password file) to the server user. */
  void takeOwnership(Path file) throws IOException {
    if (switchesToNobody) {
      chown(file, lookup().lookupPrincipalByName(UNPRIVILEGED_USER), lookup().lookupPrincipalByGroupName(group));
    }
  }

  private static boolean ownedBy(Path path, UserPrincipal user) throws IOException {
    return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(user);
  }

  /** Without following links: the archive's library symlinks must not redirect a chown. */
  private static void chown(Path path, UserPrincipal user, GroupPrincipal group) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    view.setOwner(user);
    view.setGroup(group);
  }

  /** The effective uid: /proc/self belongs to it, and it needs no JDK-internal API. */
  private static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tell which user this process runs as", e);
    }
  }

  private static String unprivilegedGroup() {
    for (String candidate : UNPRIVILEGED_GROUPS) {
      try {
        lookup().lookupPrincipalByGroupName(candidate);
        return candidate;
      } catch (UserPrincipalNotFoundException e) {
        // try the next spelling
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("none of the groups " + UNPRIVILEGED_GROUPS + " exists for '"
        + UNPRIVILEGED_USER + "' to run PostgreSQL as");
  }

  private static UserPrincipalLookupService lookup() {
    return Path.of("/").getFileSystem().getUserPrincipalLookupService();
  }

  private static Optional<Path> findOnPath(String program) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
