package dev.hallpass.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL (zonky embedded) as an access target: a table {@code secrets} that only the role
 * {@code orders_admin} may read, and test logins with password {@code pw}. Start one per test class.
 */
public final class SecretsDatabase implements AutoCloseable {
    public static final String ROLE = "orders_admin";

    private final EmbeddedPostgres pg;

    public SecretsDatabase(String... logins) throws IOException, SQLException {
        pg = EmbeddedPostgres.builder().start();
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " NOLOGIN");
            s.execute("CREATE TABLE secrets(x int)");
            s.execute("INSERT INTO secrets VALUES (42)");
            s.execute("REVOKE ALL ON secrets FROM PUBLIC");
            s.execute("GRANT SELECT ON secrets TO " + ROLE);
        }
        for (String login : logins) {
            createLogin(login);
        }
    }

    /** A superuser connection, as Hallpass's provider uses. */
    public Connection admin() throws SQLException {
        return pg.getPostgresDatabase().getConnection();
    }

    public void createLogin(String name) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + name + " LOGIN PASSWORD 'pw'");
        }
    }

    public Connection connectAs(String login) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", login, "pw");
    }

    /** The query that needs the role. */
    public static int readSecret(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT x FROM secrets")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** True when {@code login} can read the secret now; false on permission denied. */
    public boolean canRead(String login) throws SQLException {
        try (Connection c = connectAs(login)) {
            readSecret(c);
            return true;
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
