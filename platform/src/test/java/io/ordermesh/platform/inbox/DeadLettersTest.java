package io.ordermesh.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a parked record says of its error: all of it, up to a size that cannot keep it from being parked. */
class DeadLettersTest {

  @Test
  void keepsAnErrorWholeUpToTheLimitAndCutsWhatGoesBeyond() {
    String atTheLimit = "e".repeat(DeadLetters.MAX_ERROR_CHARS);
    String validatorFlood = ": property 'k' is not defined in the schema; ".repeat(30_000);

    assertThat(DeadLetters.bounded(atTheLimit)).isEqualTo(atTheLimit);
    assertThat(DeadLetters.bounded(validatorFlood)).startsWith(": property 'k'").endsWith("(cut)")
        .hasSizeLessThan(DeadLetters.MAX_ERROR_CHARS + 16);
    assertThat(DeadLetters.bounded(null)).isEmpty();
  }
}
