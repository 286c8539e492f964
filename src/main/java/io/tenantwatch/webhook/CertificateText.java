package io.tenantwatch.webhook;

import io.tenantwatch.config.CertificateLocation;
import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.WebhookOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the PEM text of one {@code webhook.certificates} entry (see {@link CertificateLocation}): a file
 * from the file system only, a {@code classpath:} resource through tenantwatch's own class loader only.
 * Neither goes through Vert.x's file resolver, so a platform that sets {@code vertx.disableFileCPResolving}
 * still finds the presets in the jar, and a file that happens to have a resource's relative path in the
 * working directory cannot stand in for it. Every failure is a {@link ConfigException} naming
 * {@code webhook.certificates} and the entry.
 */
final class CertificateText {
  /** PEM certificates are a few KB; a longer file is a mistake (or a device that never ends). */
  static final int MAX_BYTES = 1 << 20;

  private CertificateText() {
  }

  /** The text of {@code entry}, read on a worker thread. */
  static Future<String> read(Vertx vertx, String entry) {
    return vertx.executeBlocking(() -> CertificateLocation.isResource(entry) ? resource(entry) : file(entry), false);
  }

  /** How failures describe the entry: {@code the file x.crt}, {@code the resource classpath:x.crt}. */
  static String described(String entry) {
    return (CertificateLocation.isResource(entry) ? "the resource " : "the file ") + entry;
  }

  private static String file(String entry) {
    try (InputStream in = Files.newInputStream(Path.of(entry))) {
      return text(entry, in);
    } catch (IOException e) {
      throw ConfigException.of(WebhookOptions.CERTIFICATES_KEY,
          described(entry) + " cannot be read (" + why(e) + ")", e);
    }
  }

  private static String resource(String entry) {
    String name = CertificateLocation.resourceName(entry);
    try (InputStream in = CertificateText.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw ConfigException.of(WebhookOptions.CERTIFICATES_KEY,
            described(entry) + " is not on the class path");
      }
      return text(entry, in);
    } catch (IOException e) {
      throw ConfigException.of(WebhookOptions.CERTIFICATES_KEY,
          described(entry) + " cannot be read (" + why(e) + ")", e);
    }
  }

  private static String text(String entry, InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw ConfigException.of(WebhookOptions.CERTIFICATES_KEY,
          described(entry) + " is larger than " + MAX_BYTES + " bytes, too large for PEM certificates");
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /** {@code NoSuchFileException}; {@code FileSystemException: Is a directory}; the message otherwise. */
  private static String why(IOException e) {
    String name = e.getClass().getSimpleName();
    String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
    return reason == null ? name : name + ": " + reason;
  }
}
