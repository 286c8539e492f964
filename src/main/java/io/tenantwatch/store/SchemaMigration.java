package io.tenantwatch.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the store's schema up to date at start from the versioned SQL under {@code db/migration}, with
 * Flyway over JDBC, off the event loop: the one blocking step of the store, done once.
 */
final class SchemaMigration {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

  private SchemaMigration() {
  }

  static Future<Void> migrate(Vertx vertx, String jdbcUrl, String user, String password) {
    return vertx.executeBlocking(() -> {
      MigrateResult result = Flyway.configure(SchemaMigration.class.getClassLoader())
          .dataSource(jdbcUrl, user, password)
          .locations("classpath:db/migration")
          .load()
          .migrate();
      LOG.info("store schema at version {} ({} migration(s) applied now)",
          result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
          result.migrationsExecuted);
      return null;
    });
  }
}
