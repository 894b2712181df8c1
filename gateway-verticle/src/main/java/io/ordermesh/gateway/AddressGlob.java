package io.ordermesh.gateway;

/**
 * A sniffer's address filter: {@code *} matches any run of characters, {@code ?} one character, the
 * rest itself. Matched by walking the two strings with one remembered star rather than through a
 * regular expression, so the cost is bounded by their lengths' product whatever the pattern: a filter
 * comes from a URL, and {@code ********Z} as a backtracking regex held the event loop for seconds per
 * copied message.
 */
final class AddressGlob {

  /** Longer than any address this system uses, many times over. */
  static final int MAX_LENGTH = 200;

  private final String pattern;

  private AddressGlob(String pattern) {
    this.pattern = pattern;
  }

  /** @throws HttpProblem (400) for a pattern longer than {@link #MAX_LENGTH} */
  static AddressGlob of(String pattern) {
    if (pattern.length() > MAX_LENGTH) {
      throw HttpProblem.badRequest("address must be a glob of at most " + MAX_LENGTH + " characters");
    }
    return new AddressGlob(pattern);
  }

  boolean matches(String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resumeAt = 0;
    while (t < text.length()) {
      char wanted = p < pattern.length() ? pattern.charAt(p) : 0;
      if (p < pattern.length() && wanted == '*') {
        // Let the star match nothing first; on a mismatch later it takes one more character.
        star = p++;
        resumeAt = t;
      } else if (p < pattern.length() && (wanted == '?' || wanted == text.charAt(t))) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resumeAt;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
