package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home's secrets: made once, whoever asks first, and the same for everyone after. */
class HomeTest {

  private static final int PROCESSES = 6;
  private static final int HOMES = 30;

  @TempDir
  Path dir;

  @Test
  void firstStartsRacingOnOneHomeAllGetTheOneSecretThatStays() throws Exception {
    ExecutorService starts = Executors.newFixedThreadPool(PROCESSES);
    try {
      for (int h = 0; h < HOMES; h++) {
        Path home = dir.resolve("home-" + h);
        CyclicBarrier together = new CyclicBarrier(PROCESSES);
        List<Future<String>> secrets = IntStream.range(0, PROCESSES)
            .mapToObj(i -> starts.submit(() -> {
              together.await();
              return new Home(home).jwtSecret();
            }))
            .toList();
        Set<String> seen = secrets.stream().map(HomeTest::get).collect(Collectors.toSet());

        assertThat(seen).as("home %d", h).hasSize(1);
        assertThat(new Home(home).jwtSecret()).isEqualTo(seen.iterator().next());
        try (var files = Files.list(home)) {
          assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
              .noneMatch(name -> name.endsWith(".tmp"));
        }
      }
    } finally {
      starts.shutdownNow();
    }
  }

  private static String get(Future<String> future) {
    try {
      return future.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
