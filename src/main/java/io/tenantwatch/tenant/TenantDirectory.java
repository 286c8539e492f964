package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys a {@link TenantVerticle} per watched tenant and undeploys it on unwatch. It is the one place
 * that decides where a tenant runs; it keeps the latest summary view of each tenant (reported by the
 * tenants themselves) to answer listings without asking every tenant.
 */
public final class TenantDirectory extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TenantDirectory.class);

  /** How many configured tenants are deployed at once at start. */
  static final int DEPLOY_BATCH = 1_000;

  private final TenantMachine machine;
  private final Clock clock;
  private final List<String> configured;
  private final Map<String, Entry> tenants = new HashMap<>();
  /** Records, not the JSON they arrive as: a JsonObject of fifteen fields costs several times the heap. */
  private final Map<String, TenantView> views = new HashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  private record Entry(WatchOrigin origin, Future<String> deployment) {
  }

  public TenantDirectory(TenantMachine machine, Clock clock, Collection<String> configuredTenants) {
    this.machine = machine;
    this.clock = clock;
    this.configured = List.copyOf(configuredTenants);
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().consumer(Addresses.DIRECTORY, this::onRequest));
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.DIRECTORY_VIEWS, m -> onView(m.body())));
    List<Future<?>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready).compose(v -> watchConfigured())
        .onSuccess(v -> LOG.info("watching {} tenant(s) from the configuration", configured.size()));
  }

  /**
   * Deploys the configured tenants a batch at a time: deploying a hundred thousand at once would hold the
   * directory's event loop for seconds (and every tenant and poll that shares it) and keep all their
   * deployment futures alive together.
   */
  private Future<?> watchConfigured() {
    Future<?> deployed = Future.succeededFuture();
    for (int from = 0; from < configured.size(); from += DEPLOY_BATCH) {
      List<String> batch = configured.subList(from, Math.min(configured.size(), from + DEPLOY_BATCH));
      deployed = deployed.compose(v -> Future.all(batch.stream()
          .map(ctx -> watch(ctx, WatchOrigin.CONFIG).deployment()).toList()));
    }
    return deployed;
  }

  private void onRequest(Message<JsonObject> message) {
    JsonObject body = message.body();
    String action = body == null ? "" : body.getString("action", "");
    String tenant = body == null ? null : body.getString("tenant");
    switch (action) {
      case DirectoryMessages.LIST -> message.reply(list(body.getInteger("stateCode"), body.getBoolean("running")));
      case DirectoryMessages.REPOLL_ALL -> message.reply(repollAll());
      case DirectoryMessages.CONTAINS -> message.reply(new JsonObject().put("watched", tenants.containsKey(tenant)));
      case DirectoryMessages.WATCH, DirectoryMessages.UNWATCH -> {
        if (!ContextId.isValid(tenant)) {
          message.fail(400, "not a context identifier");
          return;
        }
        if (action.equals(DirectoryMessages.UNWATCH)) {
          unwatch(tenant).onSuccess(message::reply).onFailure(e -> message.fail(DirectoryMessages.NOT_WATCHED, e.getMessage()));
          return;
        }
        WatchOrigin origin = WatchOrigin.byWireName(body.getString("origin")).orElse(WatchOrigin.ADMIN);
        boolean created = !tenants.containsKey(tenant);
        watch(tenant, origin).deployment()
            .onSuccess(id -> message.reply(new JsonObject().put("created", created)))
            .onFailure(e -> message.fail(500, "could not start watching: " + e.getMessage()));
      }
      default -> message.fail(400, "unknown directory action");
    }
  }

  private Entry watch(String tenant, WatchOrigin origin) {
    Entry existing = tenants.get(tenant);
    if (existing != null) {
      return existing;
    }
    TenantVerticle verticle = new TenantVerticle(TenantSnapshot.initial(tenant), machine, clock);
    Entry entry = new Entry(origin, vertx.deployVerticle(verticle));
    tenants.put(tenant, entry);
    entry.deployment().onFailure(e -> {
      LOG.error("{}: could not deploy its verticle", tenant, e);
      tenants.remove(tenant, entry);
    });
    if (origin != WatchOrigin.CONFIG) {
      LOG.info("{}: now watched ({})", tenant, origin.wireName());
    }
    return entry;
  }

  private Future<JsonObject> unwatch(String tenant) {
    Entry entry = tenants.remove(tenant);
    if (entry == null) {
      return Future.failedFuture("tenant " + tenant + " is not watched");
    }
    views.remove(tenant);
    return entry.deployment()
        .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.tenant(tenant),
                TenantMessages.of(TenantMessages.UNWATCH))
            .compose(reply -> vertx.undeploy(id).map(v -> reply.body())))
        .onSuccess(v -> LOG.info("{}: no longer watched", tenant));
  }

  private void onView(JsonObject json) {
    TenantView view;
    try {
      view = TenantView.fromJson(json);
    } catch (IllegalArgumentException e) {
      LOG.warn("Refused a tenant view: {}", e.getMessage());
      return;
    }
    if (tenants.containsKey(view.tenant())) {
      views.put(view.tenant(), view);
    }
  }

  private JsonObject list(Integer stateCode, Boolean running) {
    JsonArray list = new JsonArray();
    for (String tenant : tenants.keySet().stream().sorted().toList()) {
      TenantView view = views.get(tenant);
      if (view == null) {
        view = TenantView.of(TenantSnapshot.initial(tenant), clock.instant());
      }
      if ((stateCode == null || stateCode == view.stateCode()) && (running == null || running == view.running())) {
        list.add(view.toJson(false));
      }
    }
    return new JsonObject().put("total", list.size()).put("tenants", list);
  }

  private JsonObject repollAll() {
    int scheduled = 0;
    for (String tenant : tenants.keySet()) {
      vertx.eventBus().send(Addresses.tenant(tenant), TenantMessages.of(TenantMessages.REPOLL));
      // A Deleted tenant is not polled any more (R4); its verticle ignores the request.
      TenantView view = views.get(tenant);
      if (view == null || view.stateCode() != TenantState.DELETED.code()) {
        scheduled++;
      }
    }
    return new JsonObject().put("scheduled", scheduled);
  }
}
