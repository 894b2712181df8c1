package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Before Logback starts, the launcher reads the format and the node name as the command line will. */
class LogSetupTest {

  @BeforeEach
  @AfterEach
  void forget() {
    System.clearProperty(LogSetup.PROPERTY);
    System.clearProperty(LogSetup.NODE_PROPERTY);
  }

  @Test
  void jsonLinesNameTheNodeTheCommandLineNames() {
    LogSetup.prepare(new String[] {"run", "--log-format", "JSON", "--node-id", "node-a"});

    assertThat(System.getProperty(LogSetup.PROPERTY)).isEqualTo("json");
    assertThat(System.getProperty(LogSetup.NODE_PROPERTY)).isEqualTo("node-a");
  }

  @Test
  void theEqualsFormNamesTheNodeToo() {
    LogSetup.prepare(new String[] {"run", "--log-format=json", "--node-id=node-b"});

    assertThat(System.getProperty(LogSetup.NODE_PROPERTY)).isEqualTo("node-b");
  }

  @Test
  void anUnnamedNodeGoesByTheNameItsConfigGets() {
    LogSetup.prepare(new String[] {"run", "--log-format", "json"});

    assertThat(System.getProperty(LogSetup.NODE_PROPERTY)).isEqualTo(NodeName.fallback());
  }

  @Test
  void textLogsNeedNoNodeName() {
    LogSetup.prepare(new String[] {"run", "--node-id", "node-c"});

    assertThat(System.getProperty(LogSetup.PROPERTY)).isEqualTo("text");
    assertThat(System.getProperty(LogSetup.NODE_PROPERTY)).isNull();
  }
}
