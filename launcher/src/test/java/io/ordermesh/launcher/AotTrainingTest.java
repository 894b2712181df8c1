package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An AOT cache recorded by a start that never got ready is thrown away by the {@code ordermesh}
 * script, which otherwise takes a finished recording as the jar's cache.
 */
class AotTrainingTest {

  private static final Path SCRIPT = Path.of("..", "ordermesh").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void findsTheCacheTheJvmRecords() {
    assertThat(AotTraining.cacheOutput(List.of("-Xmx2g", "-XX:AOTCacheOutput=/t/ordermesh-1.aot.tmp.42")))
        .contains(Path.of("/t/ordermesh-1.aot.tmp.42"));
    assertThat(AotTraining.cacheOutput(List.of("-XX:ArchiveClassesAtExit=/t/ordermesh-1.jsa.tmp.42")))
        .as("a CDS archive on older Java").contains(Path.of("/t/ordermesh-1.jsa.tmp.42"));
    assertThat(AotTraining.cacheOutput(List.of("-XX:AOTCache=/t/ordermesh-1.aot"))).isEmpty();
  }

  @Test
  void theScriptDeletesARecordingMarkedForDiscardingAndTakesAnUnmarkedOne() throws Exception {
    // The script's own loop over finished recordings, run on files laid out as two dead JVMs left them.
    Path discarded = Files.writeString(dir.resolve("ordermesh-7.aot.tmp.999998"), "cache");
    AotTraining.markDiscarded(discarded);
    Path kept = Files.writeString(dir.resolve("ordermesh-8.aot.tmp.999999"), "cache");

    assertThat(takeFinished(dir.resolve("ordermesh-7.aot"))).isZero();
    assertThat(takeFinished(dir.resolve("ordermesh-8.aot"))).isZero();

    assertThat(discarded).doesNotExist();
    assertThat(AotTraining.discardMarker(discarded)).doesNotExist();
    assertThat(dir.resolve("ordermesh-7.aot")).as("recorded afresh by the next run").doesNotExist();
    assertThat(kept).doesNotExist();
    assertThat(dir.resolve("ordermesh-8.aot")).hasContent("cache");
  }

  /** Runs the loop of the script that settles finished recordings of {@code archive}. */
  private static int takeFinished(Path archive) throws Exception {
    String script = Files.readString(SCRIPT);
    String loop = script.substring(script.indexOf("  for written in \"$ARCHIVE\".tmp.*; do"),
        script.indexOf("  done", script.indexOf("  for written in")) + "  done".length());
    Process bash = new ProcessBuilder("bash", "-c", "ARCHIVE='" + archive + "'\n" + loop).inheritIO().start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return bash.exitValue();
  }
}
