package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.config.ConfigLoader;
import io.tenantwatch.demo.DemoWorker;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo that {@code scripts/run} starts, on free ports: what a newcomer sees in the first minute. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class DemoConfigTest {

  @Test
  @DisplayName("the demo config watches the simulator's dozen tenants, shows four states within a minute and the demo worker acts")
  void demoShowsTheStory(Vertx vertx, VertxTestContext context) {
    JsonObject config = ConfigLoader.readJson(Path.of("conf", "tenantwatch.json"));
    config.getJsonObject("http").put("port", 0);
    config.getJsonObject("admin").put("port", 0);
    config.getJsonObject("simulator").put("port", 0);
    // The demo's embedded store is tested on its own (store tests); here it would share the repo's data.
    config.put("store", new JsonObject().put("type", "memory"));
    WebClient client = WebClient.create(vertx);

    TenantWatch.deploy(vertx, config).compose(engine -> Eventually.until(vertx,
            () -> client.get(engine.adminPort(), "127.0.0.1", "/admin/tenants").send()
                .map(response -> response.bodyAsJsonObject()),
            list -> states(list).size() >= 4)
        .compose(list -> {
          context.verify(() -> assertThat(list.getInteger("total")).isEqualTo(12));
          return Eventually.until(vertx,
              () -> client.get(engine.adminPort(), "127.0.0.1", "/admin/workers").send()
                  .map(response -> response.bodyAsJsonObject().getJsonArray("workers").getJsonObject(0)),
              worker -> worker.getLong("delivered") >= 12);
        })
        .compose(worker -> {
          context.verify(() -> assertThat(worker.getString("name")).isEqualTo(DemoWorker.NAME));
          return engine.close();
        }))
        .onComplete(context.succeedingThenComplete());
  }

  private static Set<String> states(JsonObject list) {
    return list.getJsonArray("tenants").stream()
        .map(t -> ((JsonObject) t).getString("state"))
        .collect(Collectors.toSet());
  }
}
