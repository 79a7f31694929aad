package dev.hallpass.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Changing the log format and level at run time, and the context (MDC) of the work at hand. */
public final class Logs {
    private Logs() {}

    /** Switches every log line to {@code format} at {@code level} (e.g. "info", "warn"). */
    public static void configure(LogConfigurator.Format format, String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            LogConfigurator.apply(context, format, Level.toLevel(level, Level.INFO));
        }
    }

    /** Sets the level of every logger without changing the format. */
    public static void level(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Level l = Level.toLevel(level, Level.INFO);
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(l);
            context.getLogger("org.eclipse.jetty").setLevel(l.isGreaterOrEqual(Level.WARN) ? l : Level.WARN);
        }
    }

    /**
     * Puts {@code key, value, key, value, ...} in the log context until the returned scope closes, restoring
     * what was there before (work queues run many pull requests on one thread).
     */
    public static Scope context(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        List<String[]> previous = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = keyValues[i];
            previous.add(new String[] {key, MDC.get(key)});
            if (keyValues[i + 1] == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, keyValues[i + 1]);
            }
        }
        return () -> {
            for (String[] p : previous) {
                if (p[1] == null) {
                    MDC.remove(p[0]);
                } else {
                    MDC.put(p[0], p[1]);
                }
            }
        };
    }

    /** A log context to close; closing never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
