package io.tenantwatch.hostile;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One hostile HTTP request and the answers it may get.
 *
 * @param what a short description for the failure report (never a whole body)
 * @param headers name and value pairs, in order (a name may repeat)
 * @param body the body, null for none
 * @param allowed the statuses that are right for it
 */
record Probe(String what, HttpMethod method, String uri, List<String[]> headers, Buffer body, Set<Integer> allowed) {

  /** Every 4xx: the input is at fault. */
  static final Set<Integer> CLIENT_ERROR =
      IntStream.rangeClosed(400, 499).boxed().collect(Collectors.toUnmodifiableSet());

  static Probe of(String what, HttpMethod method, String uri, Buffer body, Set<Integer> allowed) {
    return new Probe(what, method, uri, new ArrayList<>(), body, allowed);
  }

  Probe header(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  /** The same request allowed these statuses as well. */
  Probe alsoAllowing(Set<Integer> more) {
    Set<Integer> all = new java.util.HashSet<>(allowed);
    all.addAll(more);
    return new Probe(what, method, uri, headers, body, Set.copyOf(all));
  }

  /**
   * The same request, also allowed the answers for its size: 414 for a request line past what the
   * listener reads, 431 for a header past it (both 4xx: the input is at fault).
   */
  Probe withSizeAllowances() {
    Set<Integer> more = new java.util.HashSet<>();
    if (uri.length() > 4_000) {
      more.add(414);
    }
    if (headers.stream().anyMatch(h -> h[0].length() + h[1].length() > 8_000)) {
      more.add(431);
    }
    return more.isEmpty() ? this : alsoAllowing(more);
  }

  @Override
  public String toString() {
    String shownUri = uri.length() > 120 ? uri.substring(0, 120) + "...(" + uri.length() + " chars)" : uri;
    return what + ": " + method.name() + " " + shownUri + (body == null ? "" : " with " + body.length() + " bytes");
  }
}
