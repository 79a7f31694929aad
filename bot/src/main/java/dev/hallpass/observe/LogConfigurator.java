package dev.hallpass.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configures logback in code (found through {@code META-INF/services}), so the jar needs no logback.xml: logs go
 * to standard error (standard output is for the commands' own output, often machine-read), as text or, with
 * {@code HALLPASS_LOG_FORMAT=json}, one JSON object per line; {@code HALLPASS_LOG_LEVEL} sets the level (the
 * system properties {@code hallpass.log.format} and {@code hallpass.log.level} win over the variables).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** The environment variables read here, for checks that every HALLPASS_* setting has a reader. */
    public static final List<String> VARIABLES = List.of("HALLPASS_LOG_FORMAT", "HALLPASS_LOG_LEVEL");

    /** How log lines look. */
    public enum Format {
        TEXT,
        JSON;

        public static Format parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "text", "" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("log format must be text or json, not '" + s + "'");
            };
        }
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Map<String, String> env = System.getenv();
        Format format = Format.TEXT;
        Level level = Level.INFO;
        try {
            format = Format.parse(setting("hallpass.log.format", env.getOrDefault("HALLPASS_LOG_FORMAT", "text")));
        } catch (IllegalArgumentException e) {
            addWarn(e.getMessage() + "; using text");
        }
        String l = setting("hallpass.log.level", env.getOrDefault("HALLPASS_LOG_LEVEL", "info"));
        level = Level.toLevel(l, Level.INFO);
        apply(context, format, level);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static String setting(String property, String fallback) {
        String p = System.getProperty(property);
        return p == null || p.isBlank() ? fallback : p;
    }

    /** (Re)configures {@code context}: one console appender on standard error. */
    static void apply(LoggerContext context, Format format, Level level) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        LayoutBase<ILoggingEvent> layout = format == Format.JSON ? new JsonLogLayout() : new TextLogLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        root.addAppender(console);
        root.setLevel(level);
        // Jetty's start and stop lines say nothing an operator needs; its warnings still show.
        context.getLogger("org.eclipse.jetty").setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
    }
}
