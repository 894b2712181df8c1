package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class FreshReadRequestTest {

  @Test
  void noCacheOrNoStoreInCacheControlAsksForTheDatabasesRow() {
    assertThat(FreshReadRequest.asked(headers("Cache-Control", "no-cache"))).isTrue();
    assertThat(FreshReadRequest.asked(headers("Cache-Control", "No-Store"))).isTrue();
    assertThat(FreshReadRequest.asked(headers("Cache-Control", "max-age=0, no-cache=\"Set-Cookie\""))).isTrue();
  }

  @Test
  void aCacheControlSentOnSeveralLinesIsReadWhole() {
    assertThat(FreshReadRequest.asked(headers("Cache-Control", "max-age=0").add("Cache-Control", "no-cache"))).isTrue();
  }

  @Test
  void otherCacheControlDirectivesAndLookAlikesDoNot() {
    assertThat(FreshReadRequest.asked(headers("Cache-Control", "max-age=60"))).isFalse();
    assertThat(FreshReadRequest.asked(headers("Cache-Control", "x-no-cache"))).isFalse();
    assertThat(FreshReadRequest.asked(MultiMap.caseInsensitiveMultiMap())).isFalse();
  }

  @Test
  void anHttp10ClientsPragmaNoCacheCountsWhenThereIsNoCacheControl() {
    assertThat(FreshReadRequest.asked(headers("Pragma", "no-cache"))).isTrue();
    assertThat(FreshReadRequest.asked(headers("Pragma", "no-cache").add("Cache-Control", "max-age=60")))
        .as("Cache-Control, when present, is what the client means")
        .isFalse();
  }

  private static MultiMap headers(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }
}
