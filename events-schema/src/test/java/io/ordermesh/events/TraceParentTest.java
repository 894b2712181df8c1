package io.ordermesh.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {

  private static final String GIVEN = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aChildKeepsTheTraceAndTheFlagsAndTakesANewParentId() {
    String child = TraceParent.child(GIVEN);

    assertThat(TraceParent.isValid(child)).isTrue();
    assertThat(TraceParent.traceId(child)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(child).endsWith("-01").isNotEqualTo(GIVEN);
  }

  @Test
  void refusesMalformedAndAllZeroIds() {
    assertThat(TraceParent.isValid("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isFalse();
    assertThat(TraceParent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isFalse();
    assertThat(TraceParent.isValid("garbage")).isFalse();
    assertThat(TraceParent.isValid(null)).isFalse();
  }

  @Test
  void aNewRootIsValidAndNoParentStaysNone() {
    assertThat(TraceParent.isValid(TraceParent.newRoot())).isTrue();
    assertThat(TraceParent.child(null)).isNull();
  }
}
