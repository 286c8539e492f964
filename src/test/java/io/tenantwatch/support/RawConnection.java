package io.tenantwatch.support;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A blocking socket to a listener on 127.0.0.1, for clients no HTTP library plays: one that sends a
 * request a byte at a time, or stops halfway through a body. Writes report failure instead of throwing,
 * since the server hanging up is what the tests wait for.
 */
public final class RawConnection implements Closeable {
  private static final int CONNECT_TIMEOUT_MS = 30_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawConnection open(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    return new RawConnection(socket);
  }

  /** Writes the text as ISO-8859-1; false once the connection is broken. */
  public boolean send(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** One response: its status line, its headers (names lower case) and its Content-Length body. */
  public record Response(int status, Map<String, String> headers, String body) {
  }

  /** Reads one response whose body has a Content-Length, waiting at most {@code wait} for each read. */
  public Response readResponse(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the headers: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** Whether the server closes the connection (end of stream, or a reset) within {@code wait}. */
  public boolean closedWithin(Duration wait) throws IOException {
    return readUntilClosed(wait).isPresent();
  }

  /**
   * What the server sends until it closes the connection (end of stream, or a reset), waiting at most
   * {@code wait}; empty when the connection is still open at the end.
   */
  public Optional<String> readUntilClosed(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return Optional.empty();
      }
      socket.setSoTimeout((int) left);
      try {
        int n = in.read(buffer);
        if (n < 0) {
          return Optional.of(read.toString(StandardCharsets.UTF_8));
        }
        read.write(buffer, 0, n);
      } catch (SocketTimeoutException e) {
        return Optional.empty();
      } catch (SocketException e) {
        // A reset: the server closed while bytes of ours were still on their way.
        return Optional.of(read.toString(StandardCharsets.UTF_8));
      }
    }
  }

  /** Reads what arrives for {@code span}; null when the server closed the connection meanwhile. */
  public String readFor(Duration span) throws IOException {
    long deadline = System.nanoTime() + span.toNanos();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return read.toString(StandardCharsets.UTF_8);
      }
      socket.setSoTimeout((int) left);
      try {
        int n = in.read(buffer);
        if (n < 0) {
          return null;
        }
        read.write(buffer, 0, n);
      } catch (SocketTimeoutException e) {
        return read.toString(StandardCharsets.UTF_8);
      } catch (SocketException e) {
        return null;
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a socket the server already reset: nothing is left to release.
    }
  }
}
