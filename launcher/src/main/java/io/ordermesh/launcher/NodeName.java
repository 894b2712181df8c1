package io.ordermesh.launcher;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name a node goes by when none is given ({@code --node-id}): its host and process id. */
public final class NodeName {

  private NodeName() {
  }

  /** The same for every caller in one process, so logs and the node's own config agree. */
  public static String fallback() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
