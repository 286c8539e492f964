package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.ExactRequest;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin listener without a token is not open to web pages (docs/contracts.md, "The admin listener"): a foreign
 * {@code Host} (DNS rebinding) and a foreign {@code Origin} on a state-changing request are refused with
 * 403. The requests are written byte for byte on a raw connection, so the test sets both headers exactly
 * as a browser would send them.
 */
@ExtendWith(VertxExtension.class)
class AdminHostGuardTest {
  private static final String TENANT = "Cust70001";

  private TestEngine env;
  private NetClient net;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    JsonObject overrides = new JsonObject().put("admin", new JsonObject()
        .put("allowedHosts", new JsonArray().add("tenantwatch.internal").add("proxy.internal:8443")));
    net = vertx.createNetClient();
    TestEngine.start(vertx, overrides, TENANT).onComplete(context.succeeding(started -> {
      env = started;
      context.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext context) {
    env.engine.close().onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("a request addressed to the listener's own names with its port is answered")
  void ownNames() throws Throwable {
    int port = env.engine.adminPort();
    for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port}) {
      assertThat(status("GET", "/admin/tenants", host, null)).as(host).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a foreign Host, or one of our names on another port, is refused with 403 and the JSON error")
  void foreignHost() throws Throwable {
    int port = env.engine.adminPort();
    for (String host : new String[] {"evil.example:" + port, "evil.example", "127.0.0.1:" + (port + 1),
        "127.0.0.1", "localhost.evil.example:" + port, "proxy.internal:" + port}) {
      String answer = answer("GET", "/admin/tenants", host, null);
      assertThat(answer).as(host).startsWith("HTTP/1.1 403").contains("\"error\":\"foreign-host\"");
    }
    assertThat(status("GET", "/admin/", "evil.example:" + port, null)).as("the dashboard too").isEqualTo(403);
    assertThat(status("DELETE", "/admin/tenants/" + TENANT, "evil.example:" + port, null)).isEqualTo(403);
    assertThat(status("GET", "/admin/tenants/" + TENANT, "127.0.0.1:" + port, null))
        .as("the refused DELETE changed nothing").isEqualTo(200);
  }

  @Test
  @DisplayName("a name in admin.allowedHosts is answered, alone or with the listener's port; one with a port only on it")
  void allowedHosts() throws Throwable {
    int port = env.engine.adminPort();
    assertThat(status("GET", "/admin/tenants", "tenantwatch.internal", null)).isEqualTo(200);
    assertThat(status("GET", "/admin/tenants", "Tenantwatch.Internal:" + port, null)).isEqualTo(200);
    assertThat(status("GET", "/admin/tenants", "proxy.internal:8443", null)).isEqualTo(200);
  }

  @Test
  @DisplayName("a state-changing request from a foreign Origin is refused with 403 and changes nothing")
  void foreignOrigin() throws Throwable {
    String host = "127.0.0.1:" + env.engine.adminPort();
    for (String origin : new String[] {"http://evil.example", "null", "http://127.0.0.1:" + (env.engine.adminPort() + 1),
        "file://", "http://user@" + host}) {
      String answer = answer("DELETE", "/admin/tenants/" + TENANT, host, origin);
      assertThat(answer).as(origin).startsWith("HTTP/1.1 403").contains("\"error\":\"foreign-origin\"");
    }
    assertThat(status("POST", "/admin/tenants/poll", host, "https://evil.example")).isEqualTo(403);
    assertThat(status("PUT", "/admin/tenants/Cust70002", host, "https://evil.example")).isEqualTo(403);
    assertThat(status("GET", "/admin/tenants/Cust70002", host, null)).as("nothing was watched").isEqualTo(404);
    assertThat(status("GET", "/admin/tenants/" + TENANT, host, "http://evil.example"))
        .as("reading carries no Origin check; the Host check guards it").isEqualTo(200);
  }

  @Test
  @DisplayName("a state-changing request from the listener's own origin, as the dashboard sends it, is answered")
  void ownOrigin() throws Throwable {
    String host = "127.0.0.1:" + env.engine.adminPort();
    assertThat(status("POST", "/admin/tenants/poll", host, "http://" + host)).isEqualTo(202);
    assertThat(status("PUT", "/admin/tenants/Cust70003", host, "http://tenantwatch.internal")).isEqualTo(201);
    assertThat(status("DELETE", "/admin/tenants/Cust70003", host, null)).isEqualTo(204);
  }

  private int status(String method, String path, String host, String origin) throws Throwable {
    String answer = answer(method, path, host, origin);
    return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
  }

  /** The whole answer to one request written on a fresh connection that asks to be closed after it. */
  private String answer(String method, String path, String host, String origin) throws Throwable {
    return ExactRequest.answer(net, env.engine.adminPort(), method, path, host, origin, null);
  }
}
