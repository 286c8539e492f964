package io.tenantwatch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports free on loopback now, for servers that cannot take port 0 and report theirs (Hazelcast's members
 * must know each other's ports in advance). They are taken below the ephemeral range (32768 and up on
 * Linux), where no socket gets a port without naming it: one from the ephemeral range, free when chosen, can
 * be handed to another socket's port 0 (a proxy's listener, an outgoing connection) before its server binds
 * it. All are held open together until each is known, so the list has no duplicates.
 */
public final class FreePorts {
  /** The lowest port handed out. */
  private static final int LOW = 10_000;
  /** Below the ephemeral range. */
  private static final int HIGH = 32_000;

  private FreePorts() {
  }

  public static List<Integer> loopback(int count) {
    int span = HIGH - LOW;
    int from = ThreadLocalRandom.current().nextInt(span);
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < span && held.size() < count; i++) {
        try {
          held.add(new ServerSocket(LOW + (from + i) % span, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException inUse) {
          // Taken: the next one.
        }
      }
      if (held.size() < count) {
        throw new IllegalStateException("fewer than " + count + " ports free on loopback from " + LOW + " to " + HIGH);
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
