package io.tenantwatch.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.HeadlessChromium;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of a cluster node in a real headless Chromium: two engines as one cluster in this JVM (as in
 * {@link ClusterRoutingTest}), the page on node 0. It shows both nodes, each tenant's owner and the node a
 * worker registered on, hears the other node's transitions live, and after node 1 leaves shows node 0 alone
 * running every tenant. Every wait is an explicit wait for an element to reach a state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDashboardBrowserTest {
  private static final int SHARDS = TwoEngineCluster.SHARDS;
  private static final long WAIT_SECONDS = TwoEngineCluster.WAIT_SECONDS;
  /** The page reads the nodes every 15 s: a change shows within one such refresh, on a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final List<String> TENANTS = IntStream.range(0, 12).mapToObj(i -> "Cust" + (65000 + i)).toList();

  @TempDir
  static Path dir;
  private TwoEngineCluster cluster;
  private Vertx plain;
  private WebClient client;
  private Simulator simulator;
  private TestNodes nodes;
  private List<TenantWatch> engines;
  private List<Vertx> clustered;
  private RecordingWorker worker;
  private HeadlessChromium chromium;
  private ChromeDriver driver;

  @BeforeAll
  void start() throws Exception {
    String missing = HeadlessChromium.missing();
    if (missing != null) {
      fail(missing);
    }
    // A spread of states, so the page (and its screenshot) shows more than Running.
    cluster = TwoEngineCluster.start(dir, TENANTS, sim -> {
      sim.set(TENANTS.get(2), TenantState.OFFLINE_MAINTENANCE).await(WAIT_SECONDS, TimeUnit.SECONDS);
      sim.set(TENANTS.get(5), TenantState.ONLINE_MAINTENANCE).await(WAIT_SECONDS, TimeUnit.SECONDS);
      sim.set(TENANTS.get(8), TenantState.MIGRATION_PENDING).await(WAIT_SECONDS, TimeUnit.SECONDS);
    });
    plain = cluster.plain;
    client = cluster.client;
    simulator = cluster.simulator;
    nodes = cluster.nodes;
    engines = cluster.engines;
    clustered = cluster.clustered;
    // A worker on node 1: node 0's page lists it with node 1 as its node.
    worker = new RecordingWorker(clustered.get(1));
    worker.register().await(WAIT_SECONDS, TimeUnit.SECONDS);
    // Node 0 knows which shards node 1 runs.
    Eventually.until(plain, () -> get(0, "/admin/cluster"), view -> view.getJsonArray("members").stream()
        .mapToInt(m -> ((JsonObject) m).getJsonArray("shards").size()).sum() == SHARDS)
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    chromium = HeadlessChromium.start(1440, 1000);
    driver = chromium.driver();
  }

  @AfterAll
  void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("The page on node 0 shows both nodes, itself marked, each tenant's owner and the node a worker registered on")
  void nodesAndOwners() {
    open();
    waitFor(d -> memberRows().size() == 2);
    assertThat(memberRows()).extracting(row -> row.getAttribute("data-node"))
        .containsExactlyInAnyOrder(nodes.nodeId(0), nodes.nodeId(1));
    WebElement self = member(nodes.nodeId(0));
    assertThat(self.getAttribute("class")).contains("self");
    assertThat(text(self, "td.node")).isEqualTo(nodes.nodeId(0) + " this node");
    assertThat(member(nodes.nodeId(1)).getAttribute("class")).doesNotContain("self");
    int shards = 0;
    int tenants = 0;
    for (int node = 0; node < 2; node++) {
      WebElement row = member(nodes.nodeId(node));
      assertThat(text(row, "td.address")).startsWith("127.0.0.1:");
      assertThat(row.findElement(By.cssSelector("td.since")).getAttribute("title")).endsWith("Z");
      assertThat(text(row, "td.since")).matches("now|.* ago");
      assertThat(Integer.parseInt(text(row, "td.shards")))
          .isEqualTo(engines.get(node).shardOwner().orElseThrow().held().size());
      shards += Integer.parseInt(text(row, "td.shards"));
      tenants += Integer.parseInt(text(row, "td.tenants"));
    }
    assertThat(shards).isEqualTo(SHARDS);
    assertThat(tenants).isEqualTo(TENANTS.size());
    assertThat(driver.findElement(By.id("nodes-summary")).getText()).isEqualTo("2 members · 16 shards");

    assertThat(driver.findElements(By.cssSelector("#tenants th")).stream().filter(WebElement::isDisplayed)
        .map(WebElement::getText)).contains("OWNER");
    Map<String, String> owners = owners();
    assertThat(owners.values()).contains(nodes.nodeId(0), nodes.nodeId(1));
    waitFor(d -> shownOwners().equals(owners));

    WebElement listed = driver.findElement(By.cssSelector("#worker-rows tr[data-address='" + worker.address() + "']"));
    assertThat(listed.findElement(By.cssSelector("td.node")).isDisplayed()).isTrue();
    assertThat(text(listed, "td.node")).isEqualTo(nodes.nodeId(1));
  }

  @Test
  @Order(2)
  @DisplayName("A transition of a tenant node 1 runs changes its row on node 0's page live, and its detail shows owner and epoch")
  void otherNodesTransitionLive() throws Exception {
    open();
    waitFor(d -> d.findElement(By.id("live")).getText().equals("live"));
    driver.executeScript("window.sameDocument = true");
    String tenant = owners().entrySet().stream().filter(e -> e.getValue().equals(nodes.nodeId(1)))
        .map(Map.Entry::getKey).filter(t -> "Running".equals(row(t).getAttribute("data-state")))
        .sorted().findFirst().orElseThrow();

    simulator.set(tenant, TenantState.SUSPENDED).await(WAIT_SECONDS, TimeUnit.SECONDS);
    // Node 1's own answer: node 0's page hears of it only through its event stream.
    assertThat(client.post(engines.get(1).adminPort(), "127.0.0.1", "/admin/tenants/" + tenant + "/poll").send()
        .await(WAIT_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

    waitFor(d -> "Suspended".equals(row(tenant).getAttribute("data-state"))
        && text(row(tenant), "td.gate").equals("closed"));
    assertThat(driver.executeScript("return window.sameDocument === true")).isEqualTo(true);
    assertThat(driver.findElement(By.cssSelector("#events li[data-tenant='" + tenant + "']")).getText())
        .contains("Running → Suspended").contains("pause");

    row(tenant).findElement(By.cssSelector("button.open-detail")).click();
    waitFor(d -> tenant.equals(d.findElement(By.id("detail")).getAttribute("data-tenant"))
        && !d.findElements(By.cssSelector("#detail-fields dd.field-owner")).isEmpty());
    assertThat(driver.findElement(By.cssSelector("#detail-fields dd.field-owner")).getText())
        .isEqualTo(nodes.nodeId(1));
    long epoch = engines.get(1).shardOwner().orElseThrow().held().get(TenantShard.shard(tenant, SHARDS));
    assertThat(driver.findElement(By.cssSelector("#detail-fields dd.field-epoch")).getText())
        .isEqualTo(String.valueOf(epoch));
    // Beside the detail the list shows the Owner column whole, without the endpoint, which the detail shows.
    assertThat(driver.executeScript("const list = document.getElementById('list');"
        + " return list.scrollWidth <= list.clientWidth")).as("the list fits beside the detail").isEqualTo(true);
    assertThat(row(tenant).findElement(By.cssSelector("td.owner")).isDisplayed()).isTrue();
    assertThat(row(tenant).findElement(By.cssSelector("td.endpoint")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.cssSelector("#detail-fields dd.field-endpoint")).getText()).contains(tenant);
    screenshot();
    driver.findElement(By.id("detail-close")).click();
    waitFor(d -> row(tenant).findElement(By.cssSelector("td.endpoint")).isDisplayed());
  }

  @Test
  @Order(3)
  @DisplayName("Once node 1 leaves, the page shows node 0 alone, owning every tenant, at its next refresh")
  void memberLeaves() throws Exception {
    open();
    waitFor(d -> memberRows().size() == 2);
    driver.executeScript("window.sameDocument = true");
    // A graceful leave: node 1 hands its shards over, then its Vert.x leaves the cluster.
    engines.remove(1).close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    clustered.get(1).close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<String, String> allOnZero = new HashMap<>();
    TENANTS.forEach(tenant -> allOnZero.put(tenant, nodes.nodeId(0)));

    waitFor(d -> memberRows().size() == 1 && shownOwners().equals(allOnZero));
    assertThat(driver.executeScript("return window.sameDocument === true")).isEqualTo(true);
    WebElement self = member(nodes.nodeId(0));
    assertThat(text(self, "td.shards")).isEqualTo(String.valueOf(SHARDS));
    assertThat(text(self, "td.tenants")).isEqualTo(String.valueOf(TENANTS.size()));
    assertThat(driver.findElement(By.id("nodes-summary")).getText()).isEqualTo("1 member · 16 shards");
    // The worker registered on node 1 left with it: node 0 no longer delivers to it or lists it.
    assertThat(get(0, "/admin/workers").await(WAIT_SECONDS, TimeUnit.SECONDS).getJsonArray("workers")).isEmpty();
  }

  // ---- helpers ----

  private void open() {
    driver.get("http://127.0.0.1:" + engines.get(0).adminPort() + "/admin/");
    assertThat(driver.getTitle()).isEqualTo("tenantwatch");
    waitFor(d -> shownOwners().size() == TENANTS.size() && d.findElement(By.id("nodes")).isDisplayed());
  }

  /** Each tenant's owner from the leases each node holds. */
  private Map<String, String> owners() {
    return cluster.owners(TENANTS);
  }

  /** Each listed tenant's Owner cell, read in one script so a redraw cannot come in between. */
  @SuppressWarnings("unchecked")
  private Map<String, String> shownOwners() {
    return (Map<String, String>) driver.executeScript("return Object.fromEntries(Array.from("
        + "document.querySelectorAll('#tenant-rows tr[data-tenant]'),"
        + " r => [r.dataset.tenant, r.querySelector('td.owner').textContent]))");
  }

  private List<WebElement> memberRows() {
    return driver.findElements(By.cssSelector("#member-rows tr[data-node]"));
  }

  private WebElement member(String node) {
    return driver.findElement(By.cssSelector("#member-rows tr[data-node='" + node + "']"));
  }

  private WebElement row(String tenant) {
    return driver.findElement(By.cssSelector("#tenant-rows tr[data-tenant='" + tenant + "']"));
  }

  private static String text(WebElement row, String css) {
    return row.findElement(By.cssSelector(css)).getText();
  }

  private void waitFor(Function<WebDriver, Boolean> condition) {
    new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
        .ignoring(NoSuchElementException.class)
        .withMessage(() -> "the page says: " + driver.executeScript(
            "return [document.getElementById('message'), document.getElementById('nodes-summary'),"
                + " document.getElementById('page-info')].map(e => e && e.textContent).join(' | ')"))
        .until(condition::apply);
  }

  private void screenshot() throws Exception {
    Path target = Path.of("target", "dashboard-cluster.png");
    Files.createDirectories(target.getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  private Future<JsonObject> get(int node, String path) {
    return cluster.get(node, path);
  }
}
