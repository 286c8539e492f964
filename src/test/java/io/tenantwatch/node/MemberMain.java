package io.tenantwatch.node;

import io.tenantwatch.config.ClusterOptions;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster member on its own, in a JVM of its own, for the tests that kill one: a clustered Vertx and
 * its {@link Membership}, from the {@code cluster} section given as the one argument. Its Membership logs
 * {@code cluster member <nodeId>} once it is a member; it exits 1 when it cannot become one.
 */
public final class MemberMain {
  private static final Logger LOG = LoggerFactory.getLogger(MemberMain.class);

  private MemberMain() {
  }

  public static void main(String[] args) {
    ClusterOptions options = ClusterOptions.fromJson(new JsonObject(args[0]));
    ClusteredVertx.start(new VertxOptions(), options)
        .compose(vertx -> vertx.deployVerticle(new Membership(options)))
        .onFailure(e -> {
          LOG.error("the member could not start: {}", e.toString());
          System.exit(1);
        });
  }
}
