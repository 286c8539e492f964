package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.config.WebhookOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each SuperOffice environment's preset starts the engine with the real certificate, which ships in the
 * jar; a configured certificate that cannot be used stops the start with a {@link ConfigException}.
 */
@ExtendWith(VertxExtension.class)
class EnvironmentsStartTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sod", "stage", "online"})
  @DisplayName("the engine starts with SuperOffice's certificate for the environment pinned")
  void starts(String environment, Vertx vertx, VertxTestContext context) {
    JsonObject config = new JsonObject()
        .put("environment", environment)
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("type", "memory"));
    TenantWatch.deploy(vertx, config)
        .compose(TenantWatch::close)
        .onComplete(context.succeedingThenComplete());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"no/such/dir/missing.crt", "pom.xml", "classpath:io/tenantwatch/certs/missing.crt"})
  @DisplayName("a certificate that cannot be read or parsed stops the start with a ConfigException naming it")
  void badCertificate(String path, Vertx vertx, VertxTestContext context) {
    JsonObject config = engineConfig()
        .put("webhook", new JsonObject().put("certificates", new JsonArray().add(path)));
    TenantWatch.deploy(vertx, config).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) failure).key()).isEqualTo("webhook.certificates");
      assertThat(failure.getMessage()).startsWith("webhook.certificates: ").contains(path);
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("a JWKS URL that is not http(s), given as options, stops the start with a ConfigException naming it")
  void badJwksUrl(Vertx vertx, VertxTestContext context) {
    // The file reader refuses it already; options built in code reach the verifier unchecked.
    TenantWatchOptions read = TenantWatchOptions.fromJson(engineConfig());
    WebhookOptions webhook = read.webhook();
    TenantWatchOptions options = new TenantWatchOptions(read.environment(), read.tenants(), read.stateApi(),
        read.http(), new WebhookOptions(webhook.path(), webhook.certificates(), "file:///etc/jwks",
            webhook.issuers(), webhook.audience(), webhook.requireTenantClaim(), webhook.clockSkewSeconds(),
            webhook.maxBodyBytes(), webhook.watchUnknownTenants()),
        read.admin(), read.store(), read.cluster(), read.simulator(), read.demoWorker(), read.shutdownTimeoutMs());
    TenantWatch.deploy(vertx, options, Clock.systemUTC()).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) failure).key()).isEqualTo("webhook.jwksUrl");
      assertThat(failure.getMessage())
          .isEqualTo("webhook.jwksUrl: must be an absolute http or https URL, got \"file:///etc/jwks\"");
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("a store.url that PostgreSQL cannot parse stops the start with a ConfigException that hides it")
  void unparsableStoreUrl(Vertx vertx, VertxTestContext context) {
    JsonObject config = engineConfig().put("store", new JsonObject().put("type", "postgres")
        .put("url", "postgresql://user:s3cret@127.0.0.1:notaport/db"));
    TenantWatch.deploy(vertx, config).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) failure).key()).isEqualTo("store.url");
      assertThat(failure.getMessage()).startsWith("store.url: ").doesNotContain("s3cret");
      context.completeNow();
    })));
  }

  private static JsonObject engineConfig() {
    return new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("type", "memory"));
  }
}
