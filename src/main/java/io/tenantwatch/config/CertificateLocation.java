package io.tenantwatch.config;

/**
 * Where a {@code webhook.certificates} entry's PEM text is: a file path (relative ones against the working
 * directory), or with the {@value #CLASSPATH_PREFIX} prefix a resource on the class path, looked up by the
 * class loader that loaded tenantwatch. The environments' presets are such resources (they ship inside
 * the jar), so the engine trusts SuperOffice's certificates whatever its working directory; see
 * docs/contracts.md, "Configuration".
 */
public final class CertificateLocation {
  /** The prefix that makes an entry a class-path resource: {@code classpath:io/tenantwatch/certs/x.crt}. */
  public static final String CLASSPATH_PREFIX = "classpath:";

  private CertificateLocation() {
  }

  /** The entry naming the resource {@code name} (no leading slash), as the presets write it. */
  public static String resource(String name) {
    return CLASSPATH_PREFIX + name;
  }

  /** Whether the entry names a class-path resource rather than a file. */
  public static boolean isResource(String entry) {
    return entry.startsWith(CLASSPATH_PREFIX);
  }

  /**
   * The resource name of a {@link #isResource resource} entry, as {@link ClassLoader#getResource} takes it:
   * without the prefix and without a leading slash ({@code classpath:/a/b.crt} is {@code a/b.crt}).
   */
  public static String resourceName(String entry) {
    String name = entry.substring(CLASSPATH_PREFIX.length());
    while (name.startsWith("/")) {
      name = name.substring(1);
    }
    return name;
  }

  /** Whether the entry can name a certificate: a resource with a name, or a legal path on this system. */
  public static boolean isValid(String entry) {
    return isResource(entry) ? !resourceName(entry).isBlank() : ConfigSection.isPath(entry);
  }
}
