package dev.hallpass.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL database that holds {@code serve}'s state for every replica: applied grants, the grant
 * schedule, the last good settings per repository and the webhook deliveries seen. The schema is migrated
 * by Flyway ({@code db/migration}) at start-up; connections come from a small HikariCP pool.
 *
 * <p>Nothing may hang on a lost database: connections time out after 3 s, every statement after {@link
 * #STATEMENT_TIMEOUT} (server side, and the socket after 10 s as a backstop), a transaction left idle is
 * ended by the server, and TCP keep-alives let both sides notice a dead peer within seconds.
 */
public final class StateDatabase implements AutoCloseable {
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)[?&;]password=");

    private final String url;
    private final String user;
    private final String password;
    private final HikariDataSource pool;

    private StateDatabase(String url, String user, String password, HikariDataSource pool) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.pool = pool;
    }

    /**
     * Connects, migrates the schema and returns the database.
     *
     * @param user null to take it from the URL (or the driver's default)
     * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL or carries a password
     * @throws IllegalStateException when the database cannot be reached or migrated
     */
    public static StateDatabase open(String url, String user, String password) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the state database must be a jdbc:postgresql: URL, got " + redact(url));
        }
        if (PASSWORD_IN_URL.matcher(url).find()) {
            throw new IllegalArgumentException(
                    "the state database URL carries a password; give it through an environment variable instead");
        }
        HikariConfig c = new HikariConfig();
        c.setPoolName("hallpass-state");
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(8);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(3_000);
        c.setValidationTimeout(1_000);
        c.setKeepaliveTime(30_000);
        c.setMaxLifetime(600_000);
        // Fail at once when the database is unreachable at start-up: serve must not run without its state.
        c.setInitializationFailTimeout(1);
        connectionProperties(false).forEach((k, v) -> c.addDataSourceProperty((String) k, v));
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot connect to the state database " + redact(url) + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .table("hallpass_schema_history")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException(
                    "cannot migrate the state database " + redact(url) + ": " + rootMessage(e), e);
        }
        return new StateDatabase(url, user, password, pool);
    }

    /** The driver settings that keep a lost database from hanging a caller. */
    static Properties connectionProperties(boolean longLived) {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "10");
        p.setProperty("loginTimeout", "3");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", longLived ? "hallpass-leader" : "hallpass");
        // Server side: statements and idle transactions are bounded; keep-alives find a dead client in ~3 s
        // (a kill -9 on the same host closes the socket, which the server sees at once).
        p.setProperty(
                "options",
                "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis()
                        + " -c idle_in_transaction_session_timeout=10000 -c lock_timeout="
                        + STATEMENT_TIMEOUT.toMillis()
                        + " -c tcp_keepalives_idle=1 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3");
        return p;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** A pooled connection (autocommit); close it when done. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A connection of its own, outside the pool, for session state that must live exactly as long as the
     * connection: the leader's advisory locks, LISTEN.
     */
    public Connection dedicatedConnection() throws SQLException {
        Properties p = connectionProperties(true);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    /** True when a trivial query answers within {@code timeout}: the /readyz check. */
    public boolean ping(Duration timeout) {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            s.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Sets the client-side timeout on a statement, as a backstop to the server's. */
    static PreparedStatement timed(PreparedStatement s) throws SQLException {
        s.setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds() + 1);
        return s;
    }

    /** The URL without its query string, for messages. */
    public static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** The name of the repository's rows: {@code owner/name}, lower case (GitHub names are case-insensitive). */
    static String repoKey(String repo) {
        return repo.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        pool.close();
    }
}
