package dev.hallpass.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version Maven wrote into {@code hallpass-version.properties}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties props = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/hallpass-version.properties")) {
            if (in != null) {
                props.load(in);
            }
        }
        return new String[] {"hallpass " + props.getProperty("version", "unknown")};
    }
}
