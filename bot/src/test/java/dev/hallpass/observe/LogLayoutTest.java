package dev.hallpass.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoggingEvent event(String message, Throwable t, Map<String, String> mdc) {
        LoggerContext context = new LoggerContext();
        LoggingEvent e = new LoggingEvent(
                "x", context.getLogger("dev.hallpass.lifecycle.GrantLifecycle"), Level.ERROR, message, t, null);
        e.setMDCPropertyMap(mdc);
        e.setThreadName("hallpass-expiry");
        e.setTimeStamp(1_764_900_000_123L);
        return e;
    }

    @Test
    void jsonLayout_whenContextIsSet_writesOneObjectWithTheContext() throws Exception {
        String line = new JsonLogLayout()
                .doLayout(event(
                        "revoke of db-admin for alice failed",
                        new IllegalStateException("connection refused"),
                        Map.of("repo", "acme/access", "pr", "42", "request", "inc-4211", "delivery", "d-1")));

        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        JsonNode o = JSON.readTree(line);
        assertEquals("2025-12-05T02:00:00.123Z", o.path("ts").asText());
        assertEquals("ERROR", o.path("level").asText());
        assertEquals("dev.hallpass.lifecycle.GrantLifecycle", o.path("logger").asText());
        assertEquals("hallpass-expiry", o.path("thread").asText());
        assertEquals("revoke of db-admin for alice failed", o.path("msg").asText());
        assertEquals("acme/access", o.path("repo").asText());
        assertEquals("42", o.path("pr").asText());
        assertEquals("inc-4211", o.path("request").asText());
        assertEquals("d-1", o.path("delivery").asText());
        assertTrue(o.path("error").asText().contains("connection refused"), line);
    }

    @Test
    void bothLayouts_whenAMessageCarriesASecret_redactIt() {
        String token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
        LoggingEvent e = event("calling GitHub with token " + token, new RuntimeException("auth " + token), Map.of());
        assertFalse(new JsonLogLayout().doLayout(e).contains(token));
        assertFalse(new TextLogLayout().doLayout(e).contains(token));
    }

    @Test
    void jsonLayout_whenTheMessageHasQuotesAndNewlines_staysOneValidLine() throws Exception {
        String line = new JsonLogLayout().doLayout(event("a \"quoted\"\nsecond line\t", null, Map.of()));
        assertEquals(1, line.split("\n").length);
        assertEquals(
                "a \"quoted\"\nsecond line\t", JSON.readTree(line).path("msg").asText());
    }

    @Test
    void format_whenParsed_acceptsTextAndJsonOnly() {
        assertEquals(LogConfigurator.Format.JSON, LogConfigurator.Format.parse(" JSON "));
        assertEquals(LogConfigurator.Format.TEXT, LogConfigurator.Format.parse("text"));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> LogConfigurator.Format.parse("xml"));
    }

    @Test
    void context_whenScopeCloses_restoresWhatWasThere() {
        try (Logs.Scope outer = Logs.context("repo", "acme/a", "pr", "1")) {
            try (Logs.Scope inner = Logs.context("pr", "2", "request", "r")) {
                assertEquals("2", org.slf4j.MDC.get("pr"));
                assertEquals("acme/a", org.slf4j.MDC.get("repo"));
            }
            assertEquals("1", org.slf4j.MDC.get("pr"));
            assertEquals(null, org.slf4j.MDC.get("request"));
        }
        assertEquals(null, org.slf4j.MDC.get("repo"));
    }
}
