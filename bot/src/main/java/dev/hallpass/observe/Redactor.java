package dev.hallpass.observe;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it is logged: GitHub tokens of every kind, JWTs (an App's signed
 * assertion), Authorization header values, PEM private keys and passwords in URLs or key=value pairs. A
 * second line of defence: secrets are never meant to reach a log message in the first place.
 */
public final class Redactor {
    static final String MASK = "[REDACTED]";

    private static final List<Pattern> SECRETS = List.of(
            // GitHub: classic and fine-grained personal tokens, OAuth, App installation/user/refresh tokens.
            Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
            // JWTs: three base64url parts, the first two starting with a JSON object.
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"));

    // Keeps the name, hides the value.
    private static final List<Pattern> VALUES = List.of(
            Pattern.compile(
                    "(?i)((?:authorization|proxy-authorization)\\s*[:=]\\s*(?:bearer|token|basic)?\\s*)([^\\s,;\"']+)"),
            Pattern.compile("(?i)\\b((?:bearer|token)\\s+)([A-Za-z0-9._~+/=-]{12,})"),
            Pattern.compile(
                    "(?i)\\b((?:password|passwd|pwd|secret|client_secret|api_key|apikey|access_token)\\s*[=:]\\s*)([^\\s&,;\"']+)"),
            // user:password@host in URLs.
            Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s:/@]+:)([^\\s@/]+)(@)"));

    private Redactor() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Pattern p : SECRETS) {
            out = p.matcher(out).replaceAll(MASK);
        }
        for (Pattern p : VALUES) {
            Matcher m = p.matcher(out);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String tail = m.groupCount() >= 3 ? m.group(3) : "";
                m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + MASK + tail));
            }
            m.appendTail(b);
            out = b.toString();
        }
        return out;
    }
}
