package io.tenantwatch.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.bus.ShardMoving;
import io.tenantwatch.cluster.ShardOwners;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.ClusterOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routing of a cluster node over a real event bus: the relay of node "there" is deployed in this Vertx
 * beside this node's own addresses, so a request the routing relays crosses a real relay, and the failures it
 * passes back are the owner's local failures. (ClusterRoutingTest runs the same over Hazelcast.)
 */
@ExtendWith(VertxExtension.class)
class ShardRoutingTest {
  private static final int SHARDS = 4;
  private static final String SELF = "here";
  private static final String OTHER = "there";
  private static final String ON_OTHER = "Cust1";   // shard 1
  private static final String HERE_TENANT = "Cust2"; // shard 2
  private static final String MOVING = "Cust3";     // shard 3
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2_000);

  private final AtomicReference<ShardOwners> owners = new AtomicReference<>();
  private Routing routing;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext test) {
    owners.set(new ShardOwners(SELF, SHARDS, new TreeSet<>(Set.of(SELF, OTHER)),
        new TreeMap<>(Map.of(1, OTHER, 2, SELF)), Set.of(2)));
    routing = new ShardRouting(vertx, owners::get, ClusterOptions.fromJson(new JsonObject()
        .put("enabled", true).put("shards", SHARDS).put("leaseMs", 4_000).put("failureDetectionMs", 3_000)));
    // "Cust1" answers as it would on its owner, through the relay of node "there".
    vertx.eventBus().<JsonObject>localConsumer(Addresses.tenant(ON_OTHER), m -> {
      if (m.body().getBoolean("fail", false)) {
        m.fail(Failures.NOT_WATCHED, "not watched there");
      } else {
        m.reply(new JsonObject().put("tenant", ON_OTHER).put("echo", m.body()));
      }
    });
    vertx.eventBus().<JsonObject>localConsumer(Addresses.tenant(HERE_TENANT),
        m -> m.reply(new JsonObject().put("tenant", HERE_TENANT)));
    vertx.deployVerticle(new NodeRelay(OTHER)).onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("A request for a tenant on another node crosses that node's relay and comes back with that node's name")
  void relayed(Vertx vertx, VertxTestContext test) {
    routing.toOwner(ON_OTHER, Addresses.tenant(ON_OTHER), new JsonObject().put("type", "view"), QUICK)
        .onComplete(test.succeeding(routed -> test.verify(() -> {
          assertThat(routed.node()).isEqualTo(OTHER);
          assertThat(routed.body().getJsonObject("echo")).isEqualTo(new JsonObject().put("type", "view"));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("A request for a tenant this node runs stays local and names this node")
  void local(Vertx vertx, VertxTestContext test) {
    routing.toOwner(HERE_TENANT, Addresses.tenant(HERE_TENANT), new JsonObject(), QUICK)
        .onComplete(test.succeeding(routed -> test.verify(() -> {
          assertThat(routed.node()).isEqualTo(SELF);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("The owner's failures come back as they are: its code, and its NO_HANDLERS as NO_HANDLERS")
  void failuresPassThrough(Vertx vertx, VertxTestContext test) {
    routing.toOwner(ON_OTHER, Addresses.tenant(ON_OTHER), new JsonObject().put("fail", true), QUICK)
        .onComplete(test.failing(coded -> test.verify(() -> {
          assertThat(coded).isInstanceOfSatisfying(ReplyException.class, reply -> {
            assertThat(reply.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
            assertThat(reply.failureCode()).isEqualTo(Failures.NOT_WATCHED);
          });
          // Shard 1 again, but a tenant with no verticle on its owner.
          routing.toOwner("Cust5", Addresses.tenant("Cust5"), new JsonObject(), QUICK)
              .onComplete(test.failing(none -> test.verify(() -> {
                assertThat(none).isInstanceOfSatisfying(ReplyException.class,
                    reply -> assertThat(reply.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
                test.completeNow();
              })));
        })));
  }

  @Test
  @DisplayName("A request for a tenant of a shard that nobody runs waits for its owner, then fails with shard-moving")
  void movingWaitsThenFails(Vertx vertx, VertxTestContext test) {
    routing.toOwner(MOVING, Addresses.tenant(MOVING), new JsonObject(), QUICK)
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertThat(failure).isInstanceOfSatisfying(ShardMoving.class, moving -> {
            assertThat(moving.shard()).isEqualTo(TenantShard.shard(MOVING, SHARDS));
            assertThat(moving.retryAfterSeconds()).isEqualTo(4);
          });
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("A tenant on another node that does not answer fails as a local request would, with TIMEOUT, within the request's own timeout")
  void silentOwnerTimesOut(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.tenant("Cust9"), m -> { });
    routing.toOwner("Cust9", Addresses.tenant("Cust9"), new JsonObject(), QUICK)
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertThat(failure).isInstanceOfSatisfying(ReplyException.class,
              reply -> assertThat(reply.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("The shards nobody runs are the moving ones a listing names")
  void movingShards(Vertx vertx) {
    assertThat(routing.movingShards()).containsExactly(0, 3);
  }

  @Test
  @DisplayName("A request for a moving shard goes through once a node runs it, within the wait")
  void movingThenOwned(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.tenant(MOVING), m -> m.reply(new JsonObject()));
    routing.toOwner(MOVING, Addresses.tenant(MOVING), new JsonObject(), QUICK)
        .onComplete(test.succeeding(routed -> test.verify(() -> {
          assertThat(routed.node()).isEqualTo(OTHER);
          test.completeNow();
        })));
    vertx.setTimer(500, id -> owners.set(new ShardOwners(SELF, SHARDS, new TreeSet<>(Set.of(SELF, OTHER)),
        new TreeMap<>(Map.of(1, OTHER, 2, SELF, 3, OTHER)), Set.of(2))));
  }

  @Test
  @DisplayName("A node that answers that it does not hold the shard is asked again once the owners change")
  void notOwnerIsRetried(Vertx vertx, VertxTestContext test) {
    // Node "there" is named owner of shard 0, but its directory says the shard is not its (yet).
    vertx.eventBus().<JsonObject>localConsumer(Addresses.DIRECTORY, m -> {
      if (owners.get().leaseOwners().get(0).equals(OTHER)) {
        m.fail(Failures.NOT_OWNER, "not held here");
      } else {
        m.reply(new JsonObject().put("watched", true));
      }
    });
    owners.set(new ShardOwners(SELF, SHARDS, new TreeSet<>(Set.of(SELF, OTHER)),
        new TreeMap<>(Map.of(0, OTHER, 1, OTHER, 2, SELF)), Set.of(2)));
    routing.toOwner("Cust4", Addresses.DIRECTORY, new JsonObject(), QUICK)
        .onComplete(test.succeeding(routed -> test.verify(() -> {
          assertThat(routed.node()).isEqualTo(SELF);
          test.completeNow();
        })));
    vertx.setTimer(500, id -> owners.set(new ShardOwners(SELF, SHARDS, new TreeSet<>(Set.of(SELF, OTHER)),
        new TreeMap<>(Map.of(0, SELF, 1, OTHER, 2, SELF)), Set.of(0, 2))));
  }

  @Test
  @DisplayName("A request to every node gets each member's answer, and names a member that gave none")
  void everyNode(Vertx vertx, VertxTestContext test) {
    owners.set(new ShardOwners(SELF, SHARDS, new TreeSet<>(Set.of(SELF, OTHER, "gone")),
        new TreeMap<>(Map.of(1, OTHER, 2, SELF)), Set.of(2)));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.WORKERS_LIST,
        m -> m.reply(new JsonObject().put("workers", List.of())));
    routing.toEveryNode(Addresses.WORKERS_LIST, new JsonObject(), QUICK)
        .onComplete(test.succeeding(answers -> test.verify(() -> {
          assertThat(answers).extracting(Routing.NodeAnswer::node).containsExactly("gone", SELF, OTHER);
          assertThat(answers).extracting(Routing.NodeAnswer::answered).containsExactly(false, true, true);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("The relay refuses an address that is not a tenant's, the directory's or the registry's")
  void relayRefusesOtherAddresses(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().<JsonObject>request(Addresses.node(OTHER),
            NodeRelay.envelope(Addresses.STORE, new JsonObject().put("type", "restore"), 1_000))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertThat(((ReplyException) failure).failureCode()).isEqualTo(Failures.MALFORMED);
          test.completeNow();
        })));
  }
}
