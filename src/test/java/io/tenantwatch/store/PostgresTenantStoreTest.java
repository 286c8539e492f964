package io.tenantwatch.store;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store against a real server: the embedded one, started once for the class on a fresh
 * data directory, its schema made by the Flyway migrations.
 */
class PostgresTenantStoreTest extends TenantStoreContract {
  @TempDir
  static Path dataDir;
  private static Vertx vertx;
  private static TenantStore store;

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    store = await(TenantStores.embedded(vertx, dataDir.resolve("data")));
  }

  @AfterAll
  static void stopServer() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  @Override
  TenantStore store() {
    return store;
  }
}
