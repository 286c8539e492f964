package io.tenantwatch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver ({@code apt-get install chromium chromium-driver}, which scripts/test
 * does), driven headless with a fresh profile. Never Selenium Manager or any browser download: the
 * machines that run the tests reach no browser-download site. The flags that stop Chromium's own
 * background traffic matter: without them it tries the internet, which these machines refuse.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Debian's paths, or those in {@code TENANTWATCH_CHROMIUM} and {@code TENANTWATCH_CHROMEDRIVER} (as scripts/test reads them). */
  public static final Path BROWSER = Path.of(System.getenv().getOrDefault("TENANTWATCH_CHROMIUM", "/usr/bin/chromium"));
  public static final Path DRIVER = Path.of(System.getenv().getOrDefault("TENANTWATCH_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private final Path profile;
  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private HeadlessChromium(Path profile, ChromeDriverService service, ChromeDriver driver) {
    this.profile = profile;
    this.service = service;
    this.driver = driver;
  }

  /**
   * Whether both binaries are installed; a test that needs them fails (not skips) without them, since
   * CI installs them and a missing browser must not pass for a green run.
   */
  public static String missing() {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return null;
    }
    return "the browser test needs Debian's Chromium and its driver at " + BROWSER + " and " + DRIVER
        + ": install them with `apt-get install -y chromium chromium-driver` (scripts/test does this)";
  }

  /** Starts chromedriver and a headless Chromium with a window of this size. */
  public static HeadlessChromium start(int width, int height) throws IOException {
    Path profile = Files.createTempDirectory("tenantwatch-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions()
        .setBinary(BROWSER.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
            "--user-data-dir=" + profile);
    try {
      return new HeadlessChromium(profile, service, new ChromeDriver(service, options));
    } catch (RuntimeException e) {
      service.stop();
      delete(profile);
      throw e;
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      delete(profile);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove the browser profile " + dir, e);
    }
  }
}
