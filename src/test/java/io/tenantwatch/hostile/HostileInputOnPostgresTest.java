package io.tenantwatch.hostile;

import io.tenantwatch.store.EmbeddedPostgresServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input fuzz on the real embedded PostgreSQL instead of the memory store: the same phases, a
 * fifth of the cases each, and after each the store must have taken every change (nothing refused for
 * valid but odd input), say it is ready, and give back every tenant as the engine holds it. One server
 * serves the whole class; each test starts on an empty database.
 */
class HostileInputOnPostgresTest extends HostileInputTest {
  private static Vertx serverVertx;
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer(@TempDir Path dir) throws Exception {
    serverVertx = Vertx.vertx();
    server = EmbeddedPostgresServer.start(serverVertx, dir.resolve("data")).toCompletionStage().toCompletableFuture()
        .get(90, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.stop(serverVertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    serverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** What an earlier test stored goes, so every test starts with only its configured tenants. */
  @BeforeEach
  void emptyDatabase() throws Exception {
    PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setUser(EmbeddedPostgresServer.USER).setDatabase(EmbeddedPostgresServer.DATABASE);
    PgConnection.connect(serverVertx, connect)
        .compose(conn -> conn.query("DO $$ BEGIN IF to_regclass('tenant') IS NOT NULL THEN "
            + "TRUNCATE tenant, tenant_notification; END IF; END $$").execute().eventually(conn::close))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  JsonObject storeConfig() {
    return new JsonObject().put("type", "postgres")
        .put("url", "postgresql://" + EmbeddedPostgresServer.USER + "@127.0.0.1:" + server.port() + "/"
            + EmbeddedPostgresServer.DATABASE);
  }

  @Override
  int cases(int full) {
    return full / 5;
  }
}
