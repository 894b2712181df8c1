package io.ordermesh.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pgbench baseline is only a ceiling of the saga if it runs the saga's SQL. Each of its statements
 * names the repository constant it mirrors; this test reads that constant from the service's source
 * and fails when the two differ (parameters, literals and the bench schemas aside), so a change to the
 * services' SQL cannot leave the baseline measuring something else. It also counts the script's
 * transactions against the number the run script divides by.
 */
class SagaWorkScriptTest {

  private static final Path SCRIPT = Path.of("bench", "saga-work.sql");
  private static final List<Path> SOURCES = List.of(Path.of("..", "verticles", "src", "main", "java"),
      Path.of("..", "platform", "src", "main", "java"));
  private static final Pattern MIRRORS = Pattern.compile("^-- sql: (\\w+)\\.(\\w+)\\s*$");
  private static final Pattern DECLARED = Pattern.compile("transactions-per-saga: (\\d+)");

  @Test
  void mirrorsTheServicesSqlStatementForStatement() throws IOException {
    List<Mirrored> statements = mirroredStatements();

    assertThat(statements).as("statements found in the script").hasSizeGreaterThan(25);
    for (Mirrored statement : statements) {
      String original = constant(statement.owner(), statement.constant())
          .orElseThrow(() -> new AssertionError(statement.owner() + "." + statement.constant()
              + " no longer exists; update bench/saga-work.sql"));
      assertThat(normalized(statement.sql()))
          .as("bench/saga-work.sql mirrors %s.%s", statement.owner(), statement.constant())
          .startsWith(normalized(original));
    }
  }

  @Test
  void declaresAsManyTransactionsPerSagaAsItRuns() throws IOException {
    List<String> lines = Files.readAllLines(SCRIPT);
    Matcher declared = DECLARED.matcher(String.join("\n", lines));
    assertThat(declared.find()).as("the script declares transactions-per-saga").isTrue();

    int transactions = 0;
    boolean inTransaction = false;
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.equals("BEGIN;")) {
        inTransaction = true;
        transactions++;
      } else if (trimmed.equals("COMMIT;")) {
        inTransaction = false;
      } else if (!inTransaction && MIRRORS.matcher(trimmed).matches()) {
        transactions++;
      }
    }
    assertThat(transactions).isEqualTo(Integer.parseInt(declared.group(1)));
  }

  @Test
  void normalisesParametersLiteralsAndBenchSchemasAlike() {
    assertThat(normalized("UPDATE bench_orders.orders SET status = 'CONFIRMED', reason = NULL WHERE id = :order_id;"))
        .isEqualTo(normalized("UPDATE orders SET status = $2, reason = $3 WHERE id = $1"));
    assertThat(normalized("SELECT a::text FROM t WHERE x = ANY(:ids) LIMIT 256"))
        .isEqualTo("SELECT a::text FROM t WHERE x = ANY(?) LIMIT ?");
  }

  /** The statement after each {@code -- sql:} line, up to its semicolon or its {@code \gset}. */
  private static List<Mirrored> mirroredStatements() throws IOException {
    List<String> lines = Files.readAllLines(SCRIPT);
    List<Mirrored> statements = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher mirrors = MIRRORS.matcher(lines.get(i).trim());
      if (!mirrors.matches()) {
        continue;
      }
      StringBuilder sql = new StringBuilder();
      for (int j = i + 1; j < lines.size(); j++) {
        String line = lines.get(j).trim();
        if (line.startsWith("\\gset")) {
          break;
        }
        sql.append(line).append(' ');
        if (line.endsWith(";")) {
          break;
        }
      }
      statements.add(new Mirrored(mirrors.group(1), mirrors.group(2), sql.toString()));
    }
    return statements;
  }

  /** A string constant ({@code "..."} or a text block) of the named class in the services' sources. */
  private static Optional<String> constant(String owner, String name) throws IOException {
    for (Path root : SOURCES) {
      Optional<Path> file;
      try (Stream<Path> files = Files.walk(root)) {
        file = files.filter(p -> p.getFileName().toString().equals(owner + ".java")).findFirst();
      }
      if (file.isPresent()) {
        String source = Files.readString(file.get());
        Matcher block = Pattern.compile("\\b" + name + "\\s*=\\s*\"\"\"(.*?)\"\"\"", Pattern.DOTALL).matcher(source);
        if (block.find()) {
          return Optional.of(block.group(1));
        }
        Matcher plain = Pattern.compile("\\b" + name + "\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*;").matcher(source);
        if (plain.find()) {
          return Optional.of(plain.group(1));
        }
      }
    }
    return Optional.empty();
  }

  /** Parameters, literals and NULLs become {@code ?}; bench schemas, spacing and the final semicolon go. */
  static String normalized(String sql) {
    return sql
        .replaceAll("\\bbench_[a-z]+\\.", "")
        .replaceAll("'(?:[^']|'')*'", "?")
        .replaceAll("\\$\\d+", "?")
        .replaceAll("(?<![:\\w]):[a-z_]+", "?")
        .replaceAll("\\bNULL\\b", "?")
        .replaceAll("\\b\\d+\\b", "?")
        .replaceAll("\\s+", " ")
        .replaceAll("\\s*;\\s*$", "")
        .replaceAll("\\(\\s+", "(")
        .replaceAll("\\s+\\)", ")")
        .trim();
  }

  private record Mirrored(String owner, String constant, String sql) {
  }
}
