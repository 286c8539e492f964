package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.HeadlessChromium;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.worker.TenantClient;
import io.tenantwatch.worker.TenantClosed;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard ({@code GET /admin/}) in a real headless Chromium against a whole engine and the
 * simulator: the token form, the list, a live transition, the re-poll button, a tenant's history and
 * paging over a thousand tenants. Every wait is an explicit wait for an element to reach a state.
 *
 * <p>The simulator sets {@code ValidUntil} ten minutes ahead, so after their first poll the tenants are
 * polled again only when a test (or the page) asks.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
  private static final String TOKEN = "dashboard-test-token-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> TENANTS = IntStream.rangeClosed(1, 12).mapToObj(i -> "Cust" + (7000 + i)).toList();
  private static final String RUNNING = "Cust7001";
  private static final String LIVE = "Cust7002";
  private static final String POLLED = "Cust7004";
  private static final String FAILING = "Cust7011";
  private static final String CALLED = "Cust7006";
  private static final int MANY = 1_000;
  private static final int PAGE = 100;

  private static Vertx vertx;
  private static TestEngine env;
  private static HeadlessChromium chromium;
  private static ChromeDriver driver;
  private static String page;

  @BeforeAll
  static void start(Vertx shared) throws Exception {
    String missing = HeadlessChromium.missing();
    if (missing != null) {
      fail(missing);
    }
    vertx = shared;
    env = TestEngine.start(vertx, new JsonObject().put("admin", new JsonObject().put("token", TOKEN)))
        .await(30, TimeUnit.SECONDS);
    new RecordingWorker(vertx).register().await();
    env.simulator.setValidity(Duration.ofMinutes(10)).await();
    for (String tenant : TENANTS) {
      env.simulator.addTenant(tenant).await();
    }
    // A spread of states, so the page (and its screenshot) shows more than Running.
    env.simulator.set("Cust7003", TenantState.SUSPENDED).await();
    env.simulator.set("Cust7005", TenantState.OFFLINE_MAINTENANCE).await();
    env.simulator.set("Cust7007", TenantState.MIGRATION_PENDING).await();
    env.simulator.set("Cust7009", TenantState.ONLINE_MAINTENANCE).await();
    env.simulator.setRawState("Cust7010", "Frozen", false).await();
    env.simulator.failWith(FAILING, 503, null).await();
    for (String tenant : TENANTS) {
      assertThat(admin(HttpMethod.PUT, "/admin/tenants/" + tenant).await().statusCode()).isEqualTo(201);
    }
    Eventually.until(vertx, () -> admin(HttpMethod.GET, "/admin/tenants"), response -> {
      List<JsonObject> views = response.bodyAsJsonObject().getJsonArray("tenants").stream()
          .map(JsonObject.class::cast).toList();
      return views.stream().filter(v -> v.getString("lastPolledAt") != null).count() == TENANTS.size() - 1
          && views.stream().anyMatch(v -> v.getString("tenant").equals(FAILING) && v.getInteger("consecutiveFailures") > 0);
    }).await(30, TimeUnit.SECONDS);
    chromium = HeadlessChromium.start(1440, 1000);
    driver = chromium.driver();
    page = "http://127.0.0.1:" + env.engine.adminPort() + "/admin/";
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (env != null) {
      env.engine.close().await();
    }
  }

  @Test
  @Order(1)
  @DisplayName("The page asks for the token, says so when a wrong one is refused, and with the right one lists the simulator's tenants")
  void tokenThenList() {
    load(page);
    driver.executeScript("sessionStorage.clear()");
    driver.navigate().refresh();
    waitFor(d -> d.findElement(By.id("token-form")).isDisplayed());
    assertThat(driver.findElement(By.id("login-error")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();

    submitToken("not-the-admin-token");
    waitFor(d -> d.findElement(By.id("login-error")).isDisplayed());
    assertThat(driver.findElement(By.id("login-error")).getText()).contains("refused").contains("401");
    assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();
    assertThat(driver.executeScript("return sessionStorage.getItem('tenantwatch.adminToken')")).isNull();

    submitToken(TOKEN);
    waitFor(d -> rowIds().size() == TENANTS.size());
    assertThat(rowIds()).containsExactlyElementsOf(TENANTS);
    assertThat(driver.findElement(By.id("token-form")).isDisplayed()).isFalse();
    assertThat(driver.executeScript("return sessionStorage.getItem('tenantwatch.adminToken')")).isEqualTo(TOKEN);
    assertThat(row("Cust7003").getAttribute("data-state")).isEqualTo("Suspended");
    assertThat(row("Cust7003").findElement(By.cssSelector("td.gate")).getText()).isEqualTo("closed");
    assertThat(row(RUNNING).findElement(By.cssSelector("td.gate")).getText()).isEqualTo("open");
    assertThat(row(RUNNING).findElement(By.cssSelector("td.endpoint")).getText()).contains(RUNNING);
    assertThat(row(RUNNING).findElement(By.cssSelector(".badge")).getAttribute("class")).contains("state-Running");
    assertThat(row(FAILING).findElement(By.cssSelector("td.freshness")).getText()).containsAnyOf("failure", "STALE");
    List<String> states = new Select(driver.findElement(By.id("state-filter"))).getOptions().stream()
        .map(WebElement::getText).skip(1).toList();
    assertThat(states).containsExactlyInAnyOrderElementsOf(
        java.util.Arrays.stream(TenantState.values()).map(TenantState::displayName).toList());
    waitFor(d -> !d.findElements(By.cssSelector("#worker-rows tr[data-address]")).isEmpty());
  }

  @Test
  @Order(2)
  @DisplayName("A single engine's page shows no nodes, no Owner column and no worker's node")
  void noClusterParts() {
    openWithToken();
    waitFor(d -> !d.findElements(By.cssSelector("#worker-rows tr[data-address]")).isEmpty());
    assertThat(driver.findElement(By.id("nodes")).isDisplayed()).isFalse();
    assertThat(driver.findElements(By.cssSelector("th.cluster-only"))).hasSize(2)
        .noneMatch(WebElement::isDisplayed);
    assertThat(row(RUNNING).findElement(By.cssSelector("td.owner")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.cssSelector("#worker-rows td.node")).isDisplayed()).isFalse();
    assertThat(driver.findElements(By.cssSelector("#tenants th")).stream().filter(WebElement::isDisplayed)
        .map(WebElement::getText)).containsExactly("TENANT", "STATE", "GATE", "ENDPOINT", "NEXT POLL", "FRESHNESS", "");
  }

  @Test
  @Order(3)
  @DisplayName("A transition arrives over the event stream and changes the tenant's row without a reload")
  void liveTransition() {
    openWithToken();
    waitFor(d -> d.findElement(By.id("live")).getText().equals("live"));
    driver.executeScript("window.sameDocument = true");
    assertThat(row(LIVE).getAttribute("data-state")).isEqualTo("Running");

    env.simulator.set(LIVE, TenantState.SUSPENDED).await();
    // The test's own request, not the page's: the page hears of it only through /admin/events.
    assertThat(admin(HttpMethod.POST, "/admin/tenants/" + LIVE + "/poll").await().statusCode()).isEqualTo(200);

    waitFor(d -> "Suspended".equals(row(LIVE).getAttribute("data-state"))
        && row(LIVE).findElement(By.cssSelector("td.gate")).getText().equals("closed"));
    assertThat(driver.executeScript("return window.sameDocument === true")).isEqualTo(true);
    assertThat(driver.findElement(By.cssSelector("#events li[data-tenant='" + LIVE + "']")).getText())
        .contains("Running → Suspended").contains("pause");
  }

  @Test
  @Order(4)
  @DisplayName("The re-poll button polls the tenant now and shows its new lastPolledAt")
  void repollButton() {
    openWithToken();
    Instant before = Instant.parse(row(POLLED).getAttribute("data-last-polled-at"));
    long requests = env.simulator.requestCount(POLLED);

    row(POLLED).findElement(By.cssSelector("button.repoll")).click();

    waitFor(d -> d.findElement(By.id("message")).getText().startsWith(POLLED + " polled"));
    Instant after = Instant.parse(row(POLLED).getAttribute("data-last-polled-at"));
    assertThat(after).isAfter(before);
    assertThat(env.simulator.requestCount(POLLED)).isGreaterThan(requests);
    JsonObject view = admin(HttpMethod.GET, "/admin/tenants/" + POLLED).await().bodyAsJsonObject();
    assertThat(Instant.parse(view.getString("lastPolledAt"))).isAfterOrEqualTo(after);
  }

  @Test
  @Order(5)
  @DisplayName("Clicking a tenant opens its detail with its history, newest first")
  void detailWithHistory() throws IOException {
    openWithToken();
    row(LIVE).findElement(By.cssSelector("button.open-detail")).click();
    waitFor(d -> d.findElement(By.id("detail")).isDisplayed()
        && LIVE.equals(d.findElement(By.id("detail")).getAttribute("data-tenant"))
        && d.findElements(By.cssSelector("#history-rows tr")).size() >= 2);
    List<WebElement> history = driver.findElements(By.cssSelector("#history-rows tr"));
    assertThat(text(history.get(0), "td.from")).isEqualTo("Running");
    assertThat(text(history.get(0), "td.to")).isEqualTo("Suspended");
    assertThat(text(history.get(0), "td.commands")).startsWith("pause seq");
    WebElement first = history.get(history.size() - 1);
    assertThat(text(first, "td.from")).isEqualTo("Unknown");
    assertThat(text(first, "td.to")).isEqualTo("Running");
    assertThat(text(first, "td.commands")).isEqualTo("resume seq 1");
    assertThat(driver.findElement(By.cssSelector("#detail-fields dd.field-endpoint")).getText()).contains(LIVE);
    assertThat(driver.findElements(By.cssSelector("#detail-fields dd.field-owner, #detail-fields dd.field-epoch")))
        .as("a single engine's tenant has no owner").isEmpty();
    screenshot();
  }

  @Test
  @Order(6)
  @DisplayName("A worker's calls through TenantClient show in the workers panel, and one tenant's in its detail")
  void workerCalls() throws Exception {
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("dashboard-caller"));
    TenantClient client = TenantClient.create(vertx, gate);
    try {
      gate.start().await(20, TimeUnit.SECONDS);
      for (int i = 0; i < 2; i++) {
        assertThat(client.get(CALLED, "/v1/Contact/1").await(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      // A call to a host the tenant does not live on: the simulator answers 421, counted as failed at the tenant.
      String elsewhere = env.simulator.tenantApiUrl("elsewhere.superoffice.com", CALLED) + "/v1/Contact/1";
      assertThat(gate.call(CALLED, api -> env.client.getAbs(elsewhere).send()).await(20, TimeUnit.SECONDS)
          .statusCode()).isEqualTo(421);
      assertThatThrownBy(() -> client.get("Cust7003", "/v1/Contact/1").await(20, TimeUnit.SECONDS))
          .isInstanceOf(TenantClosed.class);

      openWithToken();
      String calls = "#worker-rows tr[data-address='" + gate.address() + "'] td.calls";
      waitFor(d -> d.findElement(By.cssSelector(calls)).getText().equals("3 made, 1 refused, 1 failed (421: 1)"));
      row(CALLED).findElement(By.cssSelector("button.open-detail")).click();
      waitFor(d -> d.findElement(By.cssSelector("#detail-fields dd.field-calls")).getText()
          .contains("dashboard-caller: 3 made, 0 refused, 1 failed (421: 1)"));
    } finally {
      gate.stop().await(20, TimeUnit.SECONDS);
      client.close();
    }
  }

  @Test
  @Order(7)
  @DisplayName("With a thousand more tenants the page holds one page of rows at a time and pages, searches and filters")
  void pagingAtScale() {
    List<String> many = IntStream.range(0, MANY).mapToObj(i -> "Cust" + (8_000_000 + i)).toList();
    List<Future<?>> added = new ArrayList<>();
    many.forEach(tenant -> added.add(env.simulator.addTenant(tenant)));
    Future.all(added).await();
    for (int from = 0; from < MANY; from += 50) {
      List<Future<?>> batch = new ArrayList<>();
      many.subList(from, from + 50).forEach(tenant -> batch.add(admin(HttpMethod.PUT, "/admin/tenants/" + tenant)));
      Future.all(batch).await();
    }
    int total = TENANTS.size() + MANY;

    openWithToken();
    waitFor(d -> d.findElement(By.id("page-info")).getText().equals("1–100 of 1,012"));
    assertThat(driver.findElements(By.cssSelector("#tenant-rows tr"))).hasSize(PAGE);
    Set<String> seen = new HashSet<>(rowIds());
    for (int pageNumber = 2; pageNumber <= 11; pageNumber++) {
      String from = String.valueOf((pageNumber - 1) * PAGE + 1);
      driver.findElement(By.id("next-page")).click();
      waitFor(d -> d.findElement(By.id("page-info")).getText().startsWith(from + "–"));
      List<String> rows = rowIds();
      assertThat(rows.size()).isLessThanOrEqualTo(PAGE);
      seen.addAll(rows);
    }
    assertThat(seen).hasSize(total);
    assertThat(driver.findElements(By.cssSelector("#tenant-rows tr"))).hasSize(total - 10 * PAGE);
    assertThat(driver.findElement(By.id("next-page")).isEnabled()).isFalse();

    WebElement search = driver.findElement(By.id("search"));
    search.sendKeys("Cust8000999");
    waitFor(d -> rowIds().equals(List.of("Cust8000999")));
    search.clear();
    search.sendKeys(" ");
    waitFor(d -> rowIds().size() == PAGE);

    new Select(driver.findElement(By.id("state-filter"))).selectByValue("Suspended");
    waitFor(d -> d.findElement(By.id("page-info")).getText().equals("1–2 of 2"));
    assertThat(rowIds()).containsExactly(LIVE, "Cust7003");
  }

  @Test
  @Order(8)
  @DisplayName("An engine with no admin token (loopback) shows the page without asking for one")
  void noTokenNeeded() throws Exception {
    // A Vert.x of its own: two engines on one event bus would answer each other's directory requests.
    Vertx own = Vertx.vertx();
    TestEngine open = TestEngine.start(own, "Cust7101").await(30, TimeUnit.SECONDS);
    try {
      load("http://127.0.0.1:" + open.engine.adminPort() + "/admin/");
      driver.executeScript("sessionStorage.clear()");
      driver.navigate().refresh();
      waitFor(d -> rowIds().equals(List.of("Cust7101")));
      assertThat(driver.findElement(By.id("token-form")).isDisplayed()).isFalse();
    } finally {
      open.engine.close().await();
      own.close().await();
    }
  }

  // ---- helpers ----

  private static void openWithToken() {
    load(page);
    driver.executeScript("sessionStorage.setItem('tenantwatch.adminToken', arguments[0])", TOKEN);
    driver.navigate().refresh();
    waitFor(d -> !rowIds().isEmpty());
  }

  private static void load(String url) {
    driver.get(url);
    assertThat(driver.getTitle()).as("the page at %s: %s", url, driver.getPageSource()).isEqualTo("tenantwatch");
  }

  private static void submitToken(String token) {
    WebElement input = driver.findElement(By.id("token-input"));
    input.clear();
    input.sendKeys(token);
    driver.findElement(By.id("token-submit")).click();
  }

  private static WebElement row(String tenant) {
    return driver.findElement(By.cssSelector("#tenant-rows tr[data-tenant='" + tenant + "']"));
  }

  /** The tenants of the rows on the page, read in one script so a redraw cannot come in between. */
  @SuppressWarnings("unchecked")
  private static List<String> rowIds() {
    return (List<String>) driver.executeScript(
        "return Array.from(document.querySelectorAll('#tenant-rows tr[data-tenant]'), r => r.dataset.tenant)");
  }

  private static String text(WebElement row, String css) {
    return row.findElement(By.cssSelector(css)).getText();
  }

  private static void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
    new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .withMessage(() -> "the page says: " + driver.executeScript(
            "return [document.getElementById('message'), document.getElementById('login-error'),"
                + " document.getElementById('page-info')].map(e => e && e.textContent).join(' | ')"))
        .until(condition::apply);
  }

  private static void screenshot() throws IOException {
    Path target = Path.of("target", "dashboard.png");
    Files.createDirectories(target.getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Future<HttpResponse<Buffer>> admin(HttpMethod method, String path) {
    return env.client.request(method, env.engine.adminPort(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TOKEN).send();
  }
}
