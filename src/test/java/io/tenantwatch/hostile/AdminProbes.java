package io.tenantwatch.hostile;

import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hostile requests at the admin API (which has a token), each with the answers that are right for it:
 * bad or missing tokens on every route, destructive ones included (401, and nothing happens); every route
 * with odd identifiers, odd queries, odd methods and bodies; and paths that are no route at all. The
 * generator never makes a request that may rightly change a tenant: it unwatches no watched tenant and
 * watches no new one.
 */
final class AdminProbes {
  private static final Set<Integer> OK = Set.of(200);
  private static final Set<Integer> NOT_FOUND = Set.of(404);
  private static final Set<Integer> REFUSED = Set.of(400, 404, 405);
  private static final Set<Integer> NO_SUCH_METHOD = Set.of(404, 405);
  private static final Set<Integer> UNAUTHORIZED = Set.of(401);
  /** A path that is no route, or the dashboard's page (200) or its bare /admin (302 to /admin/). */
  private static final Set<Integer> ANY_READ = Set.of(200, 302, 400, 401, 404, 405, 414, 431);

  /** Identifiers that are not {@code Cust} + 1 to 12 digits however they are decoded, as sent on the wire. */
  private static final String[] INVALID_IDS = {"cust50001", "Cust", "Cust1234567890123", "CUST50001",
      "Cust50001.json", "Cust-1", "Cust+1", "50001", "Cust50001;x", "Cust50001,Cust50002", "Cust%2050001",
      "Cust50001%20", "%zz", "%", "%2", "%2F", "..", "%2e%2e", "Cust50001%00", "%C3%BC", "%FF%FE",
      "Cust%EF%BC%95", "x".repeat(3_000), "Cust50001%0D%0AX-Injected:%201", "%22%3E%3Cscript%3E", "*", ":ctx"};
  private static final String[] QUERIES = {"?state=Running", "?state=running&running=true", "?state=%zz",
      "?state=%", "?running=maybe", "?running=", "?state=99", "?state=7", "?state=12", "?state=-1",
      "?state=" + "R".repeat(5_000), "?%%%", "?a=b&&&&", "?state=Running&state=Suspended", "?running=TRUE",
      "?state=%00", "?state=Unknown&running=false", "?=", "?state"};
  // Not /admin/events: its answer never ends (the live stream), so the fuzz, which awaits whole answers,
  // asks junk beside it; EventStreamTest covers the stream itself.
  private static final String[] JUNK_PATHS = {"/admin", "/admin/", "/admin/assets/../tenants", "/admin/events/x", "/metrics",
      "/admin/tenants//poll", "/admin/tenants/Cust50001/poll/extra", "/admin/tenants/Cust50001/", "/ADMIN/TENANTS",
      "/admin/./tenants", "/admin/tenants/../workers", "/admin/%2e%2e/admin/tenants", "/..", "/%00",
      "/admin/tenants%2Fpoll", "/admin/tenants/*", "/admin/workers/x", "/admin/tenants/Cust50001/poll/",
      "/admin//tenants", "/admin/tenants;x", "/favicon.ico", "/admin/tenants?", "/admin/tenants#frag"};
  private static final String[] JUNK_METHODS = {"GET", "HEAD", "OPTIONS", "PATCH", "FOO"};

  private final String token;
  private final List<String> watched;

  AdminProbes(String token, List<String> watched) {
    this.token = token;
    this.watched = List.copyOf(watched);
  }

  Probe probe(SplittableRandom rnd) {
    Probe probe = switch (rnd.nextInt(20)) {
      case 0, 1, 2 -> badToken(rnd);
      case 3, 4, 5 -> list(rnd);
      case 6, 7, 8, 9, 10 -> tenant(rnd);
      case 11, 12, 13 -> poll(rnd);
      case 14 -> rnd.nextBoolean() ? probe("re-poll all", HttpMethod.POST, "/admin/tenants/poll", Set.of(202))
          : probe("re-poll all, wrong method", HttpMethod.GET, "/admin/tenants/poll", Set.of(400));
      case 15 -> rnd.nextBoolean() ? probe("workers", HttpMethod.GET, "/admin/workers", OK)
          : probe("workers, wrong method", method(rnd, "PUT", "DELETE", "POST", "PATCH"), "/admin/workers",
              NO_SUCH_METHOD);
      default -> probe("no such route", method(rnd, JUNK_METHODS), JUNK_PATHS[rnd.nextInt(JUNK_PATHS.length)],
          ANY_READ);
    };
    if (!probe.what().startsWith("bad token")) {
      probe.header("Authorization", goodAuthorization(rnd));
    }
    if (rnd.nextInt(5) == 0) {
      probe = new Probe(probe.what(), probe.method(), probe.uri(), probe.headers(),
          HostileJson.randomBytes(rnd, rnd.nextInt(4_000)), probe.allowed());
      probe.header("Content-Type", rnd.nextBoolean() ? "application/json" : WebhookProbes.printable(rnd, 20));
    }
    if (rnd.nextInt(10) == 0) {
      probe.header("X-" + WebhookProbes.printable(rnd, 8).replaceAll("[^A-Za-z0-9]", "a"),
          WebhookProbes.printable(rnd, rnd.nextInt(4) == 0 ? 10_000 : 50));
      probe = probe.alsoAllowing(Set.of(431));
    }
    return probe;
  }

  /** Destructive and harmless routes alike, with an Authorization that is no good: 401, nothing done. */
  private Probe badToken(SplittableRandom rnd) {
    String[] routes = {"GET /admin/tenants", "GET /admin/workers", "GET /admin/tenants/" + watched(rnd),
        "POST /admin/tenants/poll", "POST /admin/tenants/" + watched(rnd) + "/poll", "DELETE /admin/tenants/"
        + watched(rnd), "PUT /admin/tenants/" + unwatchedValid(rnd), "PUT /admin/tenants/" + watched(rnd)};
    String[] route = routes[rnd.nextInt(routes.length)].split(" ");
    Probe probe = probe("bad token", HttpMethod.valueOf(route[0]), route[1], UNAUTHORIZED);
    String[] bad = {null, "", "Bearer", "Bearer ", "Bearer " + token + "x", "Bearer " + token.substring(1),
        "Basic " + Base64.getEncoder().encodeToString(("admin:" + token).getBytes(StandardCharsets.UTF_8)),
        "Token " + token, token, "Bearer " + WebhookProbes.printable(rnd, 40), "Bearer\t" + token,
        "Bearer " + token.toUpperCase(), "Bearer " + "x".repeat(10_000)};
    String header = bad[rnd.nextInt(bad.length)];
    if (header != null) {
      probe.header("Authorization", header);
    }
    return header != null && header.length() > 8_000 ? probe.alsoAllowing(Set.of(431)) : probe;
  }

  private Probe list(SplittableRandom rnd) {
    String query = rnd.nextInt(3) == 0 ? "" : QUERIES[rnd.nextInt(QUERIES.length)];
    if (rnd.nextInt(4) == 0) {
      return probe("list, wrong method", method(rnd, "POST", "PUT", "DELETE", "PATCH"), "/admin/tenants" + query,
          NO_SUCH_METHOD);
    }
    return probe("list", HttpMethod.GET, "/admin/tenants" + query, Set.of(200, 400));
  }

  /** One tenant's route, with the answer each identifier and method deserves. */
  private Probe tenant(SplittableRandom rnd) {
    String method = method(rnd, "GET", "GET", "PUT", "DELETE", "POST", "PATCH").name();
    int kind = rnd.nextInt(3);
    String id;
    Set<Integer> allowed;
    if (method.equals("GET") || method.equals("PUT")) {
      // GET reads; PUT of a watched tenant answers 200 and changes nothing. PUT never gets a new valid id.
      id = kind == 0 ? watched(rnd) : kind == 1 && method.equals("GET") ? unwatchedValid(rnd) : invalid(rnd);
      allowed = kind == 0 ? OK : kind == 1 && method.equals("GET") ? NOT_FOUND : REFUSED;
    } else if (method.equals("DELETE")) {
      // DELETE never names a watched tenant: unwatching one is no hostile input.
      id = kind == 0 ? unwatchedValid(rnd) : invalid(rnd);
      allowed = kind == 0 ? NOT_FOUND : REFUSED;
    } else {
      id = kind == 0 ? watched(rnd) : invalid(rnd);
      allowed = kind == 0 ? NO_SUCH_METHOD : REFUSED;
    }
    String query = rnd.nextInt(4) == 0 ? QUERIES[rnd.nextInt(QUERIES.length)] : "";
    Probe probe = probe("tenant " + method, HttpMethod.valueOf(method), "/admin/tenants/" + id + query, allowed);
    return query.isEmpty() ? probe : probe.alsoAllowing(Set.of(400));
  }

  private Probe poll(SplittableRandom rnd) {
    int kind = rnd.nextInt(3);
    String id = kind == 0 ? watched(rnd) : kind == 1 ? unwatchedValid(rnd) : invalid(rnd);
    if (rnd.nextInt(4) == 0) {
      return probe("poll, wrong method", method(rnd, "GET", "PUT", "DELETE", "PATCH"), "/admin/tenants/" + id + "/poll",
          kind == 2 ? REFUSED : NO_SUCH_METHOD);
    }
    return probe("poll", HttpMethod.POST, "/admin/tenants/" + id + "/poll",
        kind == 0 ? OK : kind == 1 ? NOT_FOUND : REFUSED);
  }

  private String goodAuthorization(SplittableRandom rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> "bearer " + token;
      case 1 -> "BEARER  " + token + "  ";
      default -> "Bearer " + token;
    };
  }

  private String watched(SplittableRandom rnd) {
    return watched.get(rnd.nextInt(watched.size()));
  }

  private String unwatchedValid(SplittableRandom rnd) {
    while (true) {
      StringBuilder id = new StringBuilder("Cust");
      for (int i = 1 + rnd.nextInt(12); i > 0; i--) {
        id.append(rnd.nextInt(10));
      }
      if (!watched.contains(id.toString())) {
        return id.toString();
      }
    }
  }

  private static String invalid(SplittableRandom rnd) {
    return INVALID_IDS[rnd.nextInt(INVALID_IDS.length)];
  }

  private static HttpMethod method(SplittableRandom rnd, String... names) {
    return HttpMethod.valueOf(names[rnd.nextInt(names.length)]);
  }

  private static Probe probe(String what, HttpMethod method, String uri, Set<Integer> allowed) {
    return Probe.of(what, method, uri, null, allowed);
  }
}
