package io.ordermesh.infra.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The server's log, which every start appends to. Remembers where this start began, so errors quote
 * what this start wrote rather than what an earlier one did.
 */
final class ServerLog {

  private final Path file;
  private final long startOffset;

  private ServerLog(Path file, long startOffset) {
    this.file = file;
    this.startOffset = startOffset;
  }

  static ServerLog from(Path file) throws IOException {
    return new ServerLog(file, Files.exists(file) ? Files.size(file) : 0);
  }

  Path file() {
    return file;
  }

  /** What this start has written so far. */
  String sinceStart() {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(startOffset);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** The last lines this start wrote, for error messages. */
  String tailSinceStart(int lines) {
    return lastLines(sinceStart(), lines, file);
  }

  static String tail(Path file, int lines) {
    try {
      return lastLines(Files.readString(file, StandardCharsets.UTF_8), lines, file);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static String lastLines(String text, int lines, Path file) {
    List<String> all = text.lines().toList();
    if (all.isEmpty()) {
      return "(" + file + " is empty)";
    }
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
