package io.ordermesh.platform.config;

import java.time.Duration;

/** Config checks whose messages say what was wrong and what was given. */
final class Validate {

  private static final int MAX_PORT = 65_535;

  private Validate() {
  }

  static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  static void notNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
  }

  static void port(String name, int value) {
    if (value < 0 || value > MAX_PORT) {
      throw new IllegalArgumentException(name + " must be a port in 0.." + MAX_PORT + ", but was " + value);
    }
  }

  static void notBlank(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be set");
    }
  }
}
