package dev.hallpass.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** {@code 2026-12-05T08:00:00.123Z INFO [thread] logger - message {repo=..., pr=...}}, redacted. */
public final class TextLogLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(160)
                .append(Instant.ofEpochMilli(event.getTimeStamp()))
                .append(' ')
                .append(event.getLevel())
                .append(" [")
                .append(event.getThreadName())
                .append("] ")
                .append(event.getLoggerName())
                .append(" - ")
                .append(Redactor.redact(event.getFormattedMessage()));
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            b.append(' ').append(Redactor.redact(new TreeMap<>(mdc).toString()));
        }
        b.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            b.append(Redactor.redact(ThrowableProxyUtil.asString(t))).append(CoreConstants.LINE_SEPARATOR);
        }
        return b.toString();
    }
}
