package io.tenantwatch.support;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures, while open, every log event at ERROR and every event carrying an exception at any level: what
 * an unhandled exception or a failing handler leaves behind. Attach it around the code under test and
 * assert that {@link #events()} stays empty.
 *
 * <p>Logback is a runtime-only dependency (an embedding platform brings its own SLF4J binding), so its
 * classes are not on the test compile path; the appender (logback's own {@code ListAppender}) is reached
 * by name.
 */
public final class ErrorLog implements AutoCloseable {
  private static final String APPENDER = "ch.qos.logback.core.read.ListAppender";

  private final Object root;
  private final Object appender;

  private ErrorLog(Object root, Object appender) {
    this.root = root;
    this.appender = appender;
  }

  /** Starts capturing on the root logger. */
  public static ErrorLog capture() {
    try {
      Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      Object context = root.getClass().getMethod("getLoggerContext").invoke(root);
      Object appender = Class.forName(APPENDER).getDeclaredConstructor().newInstance();
      Method setContext = appender.getClass().getMethod("setContext", Class.forName("ch.qos.logback.core.Context"));
      setContext.invoke(appender, context);
      appender.getClass().getMethod("setName", String.class)
          .invoke(appender, "error-log-" + System.identityHashCode(appender));
      appender.getClass().getMethod("start").invoke(appender);
      root.getClass().getMethod("addAppender", Class.forName("ch.qos.logback.core.Appender")).invoke(root, appender);
      return new ErrorLog(root, appender);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the tests run with logback; its ListAppender could not be attached", e);
    }
  }

  /** The captured events, as {@code LEVEL logger: message [exception]}. */
  public List<String> events() {
    return captured(false);
  }

  /** Every event logged while open, at any level, in the same form. */
  public List<String> allEvents() {
    return captured(true);
  }

  private List<String> captured(boolean everyLevel) {
    List<Object> all;
    try {
      List<?> list = (List<?>) appender.getClass().getField("list").get(appender);
      // Logback appends under the appender's own lock.
      synchronized (appender) {
        all = new ArrayList<>(list);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("logback's ListAppender changed shape", e);
    }
    List<String> trouble = new ArrayList<>();
    for (Object event : all) {
      String level = String.valueOf(call(event, "getLevel"));
      Object thrown = call(event, "getThrowableProxy");
      if (everyLevel || level.equals("ERROR") || thrown != null) {
        trouble.add(level + " " + call(event, "getLoggerName") + ": " + call(event, "getFormattedMessage")
            + (thrown == null ? "" : " [" + call(thrown, "getClassName") + ": " + call(thrown, "getMessage") + "]"));
      }
    }
    return trouble;
  }

  @Override
  public void close() {
    try {
      root.getClass().getMethod("detachAppender", Class.forName("ch.qos.logback.core.Appender")).invoke(root, appender);
      appender.getClass().getMethod("stop").invoke(appender);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("logback's appender could not be detached", e);
    }
  }

  private static Object call(Object target, String method) {
    try {
      Method m = target.getClass().getMethod(method);
      m.setAccessible(true);
      return m.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("logback's logging event changed shape", e);
    }
  }
}
