package io.tenantwatch.bench;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.webhook.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Notification bodies minted before any timing starts, each with a token of its own (its {@code jti}), so
 * the engine sees distinct notifications and the RSA signing (milliseconds each) is never measured.
 * Tokens carry every claim the engine checks: issuer, audience, the tenant claim, {@code iat}/{@code nbf}/
 * {@code exp} (valid five minutes from minting).
 */
final class SignedNotifications {
  static final String AUDIENCE = "spn:tenantwatch-bench";

  private final TestTokens tokens;
  private int series;

  SignedNotifications(TestTokens tokens) {
    this.tokens = tokens;
  }

  /** {@code count} bodies of {@code type}, body i for tenant i modulo the list, minted on every core. */
  List<Buffer> mint(List<String> tenants, ChangeType type, int count) {
    String prefix = "bench-" + ProcessHandle.current().pid() + "-" + (series++) + "-";
    return IntStream.range(0, count).parallel()
        .mapToObj(i -> {
          String tenant = tenants.get(i % tenants.size());
          String token = tokens.token(tenant).claim("aud", AUDIENCE).claim("jti", prefix + i).sign();
          return body(tenant, type, token);
        })
        .toList();
  }

  /** {@code perTenant} bodies for each tenant, queued by tenant. */
  Map<String, Deque<Buffer>> mintPerTenant(List<String> tenants, ChangeType type, int perTenant) {
    List<Buffer> all = mint(tenants, type, tenants.size() * perTenant);
    Map<String, Deque<Buffer>> byTenant = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      byTenant.computeIfAbsent(tenants.get(i % tenants.size()), t -> new ArrayDeque<>()).add(all.get(i));
    }
    return byTenant;
  }

  /** A body as SuperOffice sends it. */
  static Buffer body(String tenant, ChangeType type, String token) {
    return new JsonObject().put("ChangeType", type.code()).put("ContextIdentifier", tenant)
        .put("VersionName", "Release_11.10_2026.02.24-02").put("FileVersion", "").put("Token", token)
        .toBuffer();
  }
}
