package io.ordermesh.events;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money travels as decimal strings with two places ({@code "120.00"}), never as binary floats. */
public final class Money {

  public static final int SCALE = 2;
  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

  private Money() {
  }

  public static BigDecimal parse(String text) {
    return normalize(new BigDecimal(text));
  }

  public static BigDecimal normalize(BigDecimal amount) {
    return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
  }

  public static String format(BigDecimal amount) {
    return normalize(amount).toPlainString();
  }
}
