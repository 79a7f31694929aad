package dev.hallpass.grant;

import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Grants PostgreSQL roles: {@code GRANT target TO login} to apply, {@code REVOKE} plus termination of the
 * login's sessions to revoke. The login is the person's own database login, which must already exist:
 * Hallpass manages memberships, not logins or passwords.
 *
 * <p>Native expiry: PostgreSQL has no expiry on a membership. {@code VALID UNTIL} exists only on a login,
 * expires its password for everything it can do, and is checked only when a session starts. So it is off
 * by default ({@link NativeExpiry#NONE}); {@link NativeExpiry#VALID_UNTIL} is for logins that exist only
 * for Hallpass grants, where it is a backstop if Hallpass is down at expiry. It is only ever moved later,
 * so an overlapping or standing grant is never cut short by a shorter one; the revoke is still what ends
 * access.
 *
 * <p>Needs a connection as a role that may grant the targets (with ADMIN OPTION on them since PostgreSQL
 * 16, or superuser), may read {@code pg_stat_activity} and signal backends ({@code pg_signal_backend}),
 * and, for VALID UNTIL, has CREATEROLE.
 */
public final class PostgresProvider implements Provider {
    /** Role names accepted before quoting: anything else is refused, so quoting never has to escape. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9_][a-z0-9_]{0,62}");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

    /** How long to wait for each terminated backend to exit, so the revoke reports a finished fact. */
    private static final long TERMINATE_WAIT_MILLIS = 5_000;

    /** Opens a connection as Hallpass's administrative role. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    public enum NativeExpiry {
        NONE,
        VALID_UNTIL;

        public static NativeExpiry parse(String s) {
            switch (s) {
                case "none":
                    return NONE;
                case "valid_until":
                    return VALID_UNTIL;
                default:
                    throw new IllegalArgumentException(
                            "native_expiry must be 'none' or 'valid_until', got '" + s + "'");
            }
        }
    }

    /**
     * @param loginTemplate how a GitHub login becomes a database login: {@code {login}} stands for the GitHub
     *     login with {@code -} turned into {@code _} (e.g. {@code {login}} or {@code hp_{login}})
     * @param terminateSessions whether a revoke ends the login's open sessions (the default, and the only way
     *     to stop a session that already used the role, e.g. with SET ROLE)
     */
    public record Options(String loginTemplate, boolean terminateSessions, NativeExpiry nativeExpiry) {
        public static final String DEFAULT_TEMPLATE = "{login}";

        public Options {
            Objects.requireNonNull(nativeExpiry, "nativeExpiry");
            if (loginTemplate == null || !loginTemplate.contains("{login}")) {
                throw new IllegalArgumentException("login_template must contain {login}");
            }
            String probe = loginTemplate.replace("{login}", "x");
            if (!IDENTIFIER.matcher(probe).matches()) {
                throw new IllegalArgumentException(
                        "login_template must make lowercase letters, digits and underscores, got '" + loginTemplate
                                + "'");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_TEMPLATE, true, NativeExpiry.NONE);
        }
    }

    private final ProviderName name;
    private final ConnectionSource connections;
    private final Options options;

    public PostgresProvider(ProviderName name, ConnectionSource connections, Options options) {
        this.name = Objects.requireNonNull(name, "name");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public ProviderName name() {
        return name;
    }

    /** The database login of {@code person} under the configured template. */
    public String databaseLogin(Login person) {
        return identifier(
                options.loginTemplate().replace("{login}", person.value().replace('-', '_')));
    }

    /**
     * {@code name} double-quoted for SQL, after checking it against a strict allow-list (lowercase letters,
     * digits, underscores, at most 63), so no input can close the quotes or change case meaning.
     */
    public static String quote(String name) {
        return "\"" + identifier(name) + "\"";
    }

    private static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name
                    + "' is not an acceptable PostgreSQL role name (lowercase letters, digits, underscores,"
                    + " at most 63)");
        }
        return name;
    }

    @Override
    public Outcome apply(Grant grant, boolean dryRun) {
        String login;
        String role;
        try {
            login = databaseLogin(grant.person());
            role = identifier(grant.target());
        } catch (IllegalArgumentException e) {
            return Outcome.failed(Action.APPLY, e.getMessage(), "");
        }
        List<String> statements = new ArrayList<>();
        try (Connection c = connections.open()) {
            if (!roleExists(c, login)) {
                return Outcome.failed(
                        Action.APPLY, "database login " + login + " does not exist; create it before granting", "");
            }
            if (!roleExists(c, role)) {
                return Outcome.failed(Action.APPLY, "database role " + role + " does not exist", "");
            }
            boolean member = isMember(c, login, role);
            if (!member) {
                statements.add("GRANT " + quote(role) + " TO " + quote(login));
            }
            if (options.nativeExpiry() == NativeExpiry.VALID_UNTIL) {
                Optional<Instant> current = validUntil(c, login);
                Instant wanted = grant.expiresAt().truncatedTo(ChronoUnit.SECONDS);
                if (current.isEmpty() || current.get().isBefore(wanted)) {
                    // Formatted from an Instant, never from input: the literal can hold only digits, - : T Z.
                    statements.add("ALTER ROLE " + quote(login) + " VALID UNTIL '" + TIMESTAMP.format(wanted) + "'");
                }
            }
            String audit = String.join(";\n", statements);
            if (statements.isEmpty()) {
                return Outcome.noOp(Action.APPLY, login + " is already a member of " + role, "-- nothing to do");
            }
            if (dryRun) {
                return Outcome.dryRun(Action.APPLY, "would grant " + role + " to " + login, audit);
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            return Outcome.done(Action.APPLY, "granted " + role + " to " + login, audit);
        } catch (SQLException e) {
            return Outcome.failed(Action.APPLY, "could not grant " + role + " to " + login + ": " + describe(e), "");
        }
    }

    @Override
    public Outcome revoke(Grant grant, boolean dryRun) {
        String login;
        String role;
        try {
            login = databaseLogin(grant.person());
            role = identifier(grant.target());
        } catch (IllegalArgumentException e) {
            return Outcome.failed(Action.REVOKE, e.getMessage(), "");
        }
        try (Connection c = connections.open()) {
            if (!roleExists(c, login)) {
                return Outcome.noOp(Action.REVOKE, "database login " + login + " does not exist", "");
            }
            boolean member = roleExists(c, role) && isMember(c, login, role);
            int sessions = options.terminateSessions() ? countSessions(c, login) : 0;
            if (dryRun) {
                String what =
                        (member ? "would revoke " + role + " from " + login : login + " is not a member of " + role)
                                + (sessions > 0 ? " and terminate " + sessions + " session(s)" : "");
                return Outcome.dryRun(Action.REVOKE, what, "");
            }
            StringBuilder audit = new StringBuilder();
            if (member) {
                String sql = "REVOKE " + quote(role) + " FROM " + quote(login);
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                audit.append(sql).append('\n');
            }
            // Terminate after the revoke, so a client that reconnects at once no longer has the role. Done even
            // when the membership was already gone: a retry after a crash between the two must still end them.
            int terminated = options.terminateSessions() ? terminateSessions(c, login, audit) : 0;
            boolean stillMember = roleExists(c, role) && isMember(c, login, role);
            if (stillMember) {
                // Since PostgreSQL 16 a membership granted by another grantor survives our REVOKE; that is
                // standing access Hallpass did not give, so it is reported rather than fought.
                audit.append("-- membership remains through a grant by another grantor\n");
            }
            if (!member && terminated == 0) {
                return Outcome.noOp(Action.REVOKE, login + " is not a member of " + role, audit.toString());
            }
            return Outcome.done(
                    Action.REVOKE,
                    (member ? "revoked " + role + " from " + login : login + " was not a member of " + role)
                            + ", terminated " + terminated + " session(s)"
                            + (stillMember ? "; membership remains through another grantor" : ""),
                    audit.toString());
        } catch (SQLException e) {
            return Outcome.failed(
                    Action.REVOKE, "could not revoke " + role + " from " + login + ": " + describe(e), "");
        }
    }

    @Override
    public Presence verify(Login person, String target) {
        String login;
        String role;
        try {
            login = databaseLogin(person);
            role = identifier(target);
        } catch (IllegalArgumentException e) {
            return Presence.UNKNOWN;
        }
        try (Connection c = connections.open()) {
            return isMember(c, login, role) ? Presence.PRESENT : Presence.ABSENT;
        } catch (SQLException e) {
            return Presence.UNKNOWN;
        }
    }

    private static boolean roleExists(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Direct membership only: that is what a GRANT gives and a REVOKE takes away. */
    private static boolean isMember(Connection c, String login, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_auth_members m"
                + " JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
                + " WHERE r.rolname = ? AND u.rolname = ?")) {
            ps.setString(1, role);
            ps.setString(2, login);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<Instant> validUntil(Connection c, String login) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rolvaliduntil FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                // 'infinity' arrives as a far-future timestamp, which is later than any grant: left alone.
                Timestamp ts = rs.getTimestamp(1);
                return ts == null ? Optional.empty() : Optional.of(ts.toInstant());
            }
        }
    }

    private static int countSessions(Connection c, String login) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int terminateSessions(Connection c, String login, StringBuilder audit) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT pid, pg_terminate_backend(pid, ?) FROM pg_stat_activity"
                + " WHERE usename = ? AND pid <> pg_backend_pid()")) {
            ps.setLong(1, TERMINATE_WAIT_MILLIS);
            ps.setString(2, login);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean ended = rs.getBoolean(2);
                    audit.append("-- terminated backend ")
                            .append(rs.getInt(1))
                            .append(ended ? "" : " (did not exit in time)")
                            .append('\n');
                    n++;
                }
            }
        }
        return n;
    }

    private static String describe(SQLException e) {
        String state = e.getSQLState();
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return (state == null ? "" : "[" + state + "] ")
                + msg.lines().findFirst().orElse("");
    }
}
