package io.tenantwatch;

import io.tenantwatch.domain.Command;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * A worker on a cluster node: a {@link TenantGate} following every tenant, whose handlers write what they apply,
 * and an inbound interceptor on the gate's address that writes every command as it arrives, before the gate sees
 * it, marked {@code stale} when its {@code (epoch, seq)} is not above the command whose state the gate holds for
 * the tenant (the gate acknowledges it and applies nothing). One JSON line each:
 *
 * <pre>{@code
 * {"kind":"applied"|"received","worker":<gate address>,"node":<nodeId>,"nanos":<System.nanoTime()>,
 *  "stale":bool (received only),"command":{...}}
 * {"kind":"registered","worker","node","nanos","tenants":{ctx:command,...}}   once the gate has started
 * }</pre>
 *
 * <p>{@code nanos} is {@link System#nanoTime()}, which on Linux is the machine's monotonic clock, the same in
 * every JVM, so the test can set the records beside its own lease reads and the proxies' polls. Each line is
 * written and flushed at once on the event loop: a few hundred short lines, and a SIGKILL loses none that the
 * gate acted on.
 */
final class RecordingGate extends VerticleBase {
  private final Path file;
  private final int port;
  private final String node;
  private BufferedWriter out;
  private TenantGate gate;
  private HttpServer server;
  private Handler<DeliveryContext<Object>> interceptor;

  RecordingGate(Path file, int port, String node) {
    this.file = file;
    this.port = port;
    this.node = node;
  }

  @Override
  public Future<?> start() throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    gate = TenantGate.create(vertx, new TenantGateOptions("recording-" + node));
    Function<Command, Future<Void>> applied = command -> {
      write(line("applied").put("command", command.toJson()));
      return Future.succeededFuture();
    };
    gate.onPause(applied).onResume(applied).onEndpoint(applied).onResync(applied).onRetire(applied);
    interceptor = delivery -> {
      if (gate.address().equals(delivery.message().address()) && delivery.body() instanceof JsonObject body) {
        received(body);
      }
      delivery.next();
    };
    vertx.eventBus().addInboundInterceptor(interceptor);
    return vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("content-type", "application/json")
            .end(view().encode()))
        .listen(port, "127.0.0.1")
        .compose(listening -> {
          server = listening;
          return gate.start();
        })
        .onSuccess(started -> write(line("registered").put("tenants", tenants())));
  }

  private void received(JsonObject body) {
    JsonObject line = line("received").put("command", body);
    try {
      Command command = Command.fromJson(body);
      Command held = gate.tenants().get(command.tenant());
      line.put("stale", held != null && !command.fence().isAbove(held.fence()));
    } catch (IllegalArgumentException e) {
      line.put("stale", false).put("malformed", e.getMessage());
    }
    write(line);
  }

  private JsonObject view() {
    return new JsonObject().put("worker", gate.address()).put("node", node).put("tenants", tenants());
  }

  private JsonObject tenants() {
    JsonObject tenants = new JsonObject();
    for (Map.Entry<String, Command> entry : gate.tenants().entrySet()) {
      tenants.put(entry.getKey(), entry.getValue().toJson());
    }
    return tenants;
  }

  private JsonObject line(String kind) {
    return new JsonObject().put("kind", kind).put("worker", gate.address()).put("node", node)
        .put("nanos", System.nanoTime()).put("wall", Instant.now().toString());
  }

  private synchronized void write(JsonObject line) {
    try {
      out.write(line.encode());
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": a record could not be written", e);
    }
  }

  @Override
  public Future<?> stop() throws IOException {
    vertx.eventBus().removeInboundInterceptor(interceptor);
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> gate.stop()).andThen(done -> {
      synchronized (this) {
        try {
          out.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
  }
}
