package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by an engine of schema version 1 (each snapshot with its history inside) is brought up
 * to date when a newer engine opens it: every tenant comes back as it was stored.
 */
class SchemaUpgradeTest {
  @TempDir
  Path dataDir;

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("tenants stored by schema version 1 come back with their histories after the upgrade")
  void versionOneUpgrades() throws Exception {
    Vertx vertx = Vertx.vertx();
    EmbeddedPostgresServer server = await(EmbeddedPostgresServer.start(vertx, dataDir.resolve("data")));
    try {
      String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + EmbeddedPostgresServer.DATABASE;
      Flyway.configure(getClass().getClassLoader()).dataSource(jdbcUrl, EmbeddedPostgresServer.USER, null)
          .locations("classpath:db/migration").target("1").load().migrate();
      JsonObject stored = TenantStoreContract.snapshot("Cust72001", 4);
      try (Connection jdbc = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, null);
          PreparedStatement insert = jdbc.prepareStatement(
              "INSERT INTO tenant (tenant, origin, snapshot, seq, state_code) VALUES (?, ?, ?::jsonb, 4, 200)")) {
        insert.setString(1, "Cust72001");
        insert.setString(2, "admin");
        insert.setString(3, stored.encode());
        insert.executeUpdate();
        insert.setString(1, "Cust72002");
        insert.setString(2, "config");
        insert.setString(3, null);
        insert.executeUpdate();
      }

      TenantStore store = await(TenantStores.external(vertx, "postgresql://" + EmbeddedPostgresServer.USER
          + "@127.0.0.1:" + server.port() + "/" + EmbeddedPostgresServer.DATABASE, null));
      List<StoredTenant> tenants = await(store.load(TenantStoreContract.NOW));
      await(store.close());

      assertThat(tenants).containsExactly(new StoredTenant("Cust72001", "admin", stored, List.of()),
          new StoredTenant("Cust72002", "config", null, List.of()));
    } finally {
      await(server.stop(vertx));
      await(vertx.close());
    }
  }
}
