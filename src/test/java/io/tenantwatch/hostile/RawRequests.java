package io.tenantwatch.hostile;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Requests as bytes, broken below what an HTTP client library lets one send: a request line that is not
 * one, header lines without a colon or with control bytes, lengths that disagree, broken chunks, raw
 * non-ASCII in the path, unknown versions. Each is complete (a server that reads it all has nothing to
 * wait for) and asks for the connection to be closed. None may change anything: webhook requests carry
 * a broken token, admin requests either only read or carry no token.
 */
final class RawRequests {
  private static final String[] BAD_HEADER_LINES = {"NoColonHere", " Leading-Space: x", "Bad Name: x",
      "X-Nul: a\u0000b", "X-Ctl: \u0001\u0002", "X-Fold: a\r\n folded", "X-Latin: \u00e9\u00ff", ":", ": empty-name",
      "X-Big: " + "b".repeat(9_000), "Content-Type application/json", "X-Tab:\tvalue"};
  private static final String[] BAD_LENGTHS = {"-1", "abc", "99999999999999999999", "1e3", "+5", "0x10", "5, 6"};
  private static final String[] BAD_VERSIONS =
      {"HTTP/0.9", "HTTP/2.0", "HTTP/1.1x", "HTTP/9.9", "HTTP/1", "http/1.1", ""};

  private static final Set<Integer> REFUSED = refused(false);
  private static final Set<Integer> READ = refused(true);

  private final String webhookPath;
  private final String adminToken;

  RawRequests(String webhookPath, String adminToken) {
    this.webhookPath = webhookPath;
    this.adminToken = adminToken;
  }

  /** Bytes to send and the answers they may get ({@link RawHttp#CLOSED}: the server hung up). */
  record RawCase(Buffer bytes, Set<Integer> allowed) {
  }

  /** A broken request at the webhook, its body a notification with a broken token: 4xx or a hang-up. */
  RawCase webhook(SplittableRandom rnd, int port) {
    String body = "{\"ChangeType\":2,\"ContextIdentifier\":\"Cust50001\",\"Token\":\"a.b.c\"}";
    return broken(rnd, port, "POST", webhookPath, "Content-Type: application/json\r\n", body, REFUSED);
  }

  /**
   * A broken request at the admin API: a read with the token (which a lenient reading may answer 200), or
   * a destructive request without it: 4xx or a hang-up, never a success. Each names the listener's own
   * {@code Host}, so it reaches the routes behind the admin listener's Host check.
   */
  RawCase admin(SplittableRandom rnd, int port) {
    if (rnd.nextBoolean()) {
      String path = new String[] {"/admin/tenants", "/admin/workers", "/admin/tenants/Cust50001"}[rnd.nextInt(3)];
      return broken(rnd, port, "GET", path, "Authorization: Bearer " + adminToken + "\r\n", "", READ);
    }
    String[] routes = {"DELETE /admin/tenants/Cust50001", "PUT /admin/tenants/Cust12121212",
        "POST /admin/tenants/poll", "POST /admin/tenants/Cust50001/poll"};
    String[] route = routes[rnd.nextInt(routes.length)].split(" ");
    return broken(rnd, port, route[0], route[1], "", "", REFUSED);
  }

  /**
   * Whether the bytes hold nothing but control characters and spaces, which an HTTP server skips while it
   * waits for a request line (RFC 9112 section 2.2 has it ignore empty lines before one): there is no
   * request yet to answer.
   */
  private static boolean blankOnly(byte[] bytes) {
    for (byte b : bytes) {
      char c = (char) (b & 0xff);
      if (!Character.isISOControl(c) && !Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  /** The answers allowed, and silence too: the server still waits for a request. */
  private static Set<Integer> withSilence(Set<Integer> allowed) {
    Set<Integer> answers = new HashSet<>(allowed);
    answers.add(RawHttp.SILENT);
    return Set.copyOf(answers);
  }

  /**
   * One broken request. A version the server does not speak may be answered 501 or 505: HTTP itself
   * answers an unsupported version with a 5xx (RFC 9110 section 15.6.6), before any handler of the engine
   * runs.
   */
  private static RawCase broken(SplittableRandom rnd, int port, String method, String path, String headers,
      String body, Set<Integer> allowed) {
    String head;
    String payload = body;
    Set<Integer> answers = allowed;
    switch (rnd.nextInt(8)) {
      case 0 -> {
        byte[] garbage = HostileJson.randomBytes(rnd, 1 + rnd.nextInt(200)).getBytes();
        return new RawCase(Buffer.buffer(garbage).appendString("\r\n\r\n"),
            blankOnly(garbage) ? withSilence(allowed) : allowed);
      }
      case 1 -> head = method + " " + path + " HTTP/1.1\r\n" + headers
          + BAD_HEADER_LINES[rnd.nextInt(BAD_HEADER_LINES.length)] + "\r\n" + length(payload);
      case 2 -> head = method + " " + path + " HTTP/1.1\r\n" + headers + "Content-Length: "
          + BAD_LENGTHS[rnd.nextInt(BAD_LENGTHS.length)] + "\r\n";
      case 3 -> head = method + " " + path + " HTTP/1.1\r\n" + headers + length(payload) + "Content-Length: "
          + (payload.length() + 1) + "\r\n";
      case 4 -> {
        // Chunked, once broken and once well formed but beside a Content-Length (the smuggler's pair).
        boolean brokenSize = rnd.nextBoolean();
        head = method + " " + path + " HTTP/1.1\r\n" + headers + "Transfer-Encoding: chunked\r\n"
            + (brokenSize ? "" : "Content-Length: 3\r\n");
        payload = (brokenSize ? "zz" : Integer.toHexString(body.length())) + "\r\n" + body + "\r\n0\r\n\r\n";
      }
      case 5 -> {
        String[] paths = {path + "\u0000", path.replace("e", "\u00e9"), path + "\u00ff", "*", "", path + " x",
            "http://evil.example" + path, path + "?" + "%".repeat(10)};
        head = method + " " + paths[rnd.nextInt(paths.length)] + " HTTP/1.1\r\n" + headers + length(payload);
      }
      case 6 -> {
        head = method + " " + path + " " + BAD_VERSIONS[rnd.nextInt(BAD_VERSIONS.length)] + "\r\n" + headers
            + length(payload);
        answers = new HashSet<>(allowed);
        answers.addAll(Set.of(501, 505));
      }
      default -> {
        String[] methods = {method.toLowerCase(), "M".repeat(5_000), "GE T", method + "/1", "\u00c9T"};
        head = methods[rnd.nextInt(methods.length)] + " " + path + " HTTP/1.1\r\n" + headers + length(payload);
      }
    }
    String request = head + "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n" + payload;
    return new RawCase(Buffer.buffer(request.getBytes(StandardCharsets.ISO_8859_1)), Set.copyOf(answers));
  }

  private static Set<Integer> refused(boolean orRead) {
    Set<Integer> allowed = new HashSet<>(Probe.CLIENT_ERROR);
    allowed.add(RawHttp.CLOSED);
    if (orRead) {
      allowed.add(200);
    }
    return Set.copyOf(allowed);
  }

  private static String length(String body) {
    return "Content-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n";
  }
}
