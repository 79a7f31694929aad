package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Kubernetes manifests and the Dockerfile speak to serve through HALLPASS_* variables: each one they set must
 * be an option of serve (or a secret serve reads by name), or a renamed option would silently fall back to its
 * default in production. Schema validation of the manifests is bot/deploy/validate.sh's job.
 */
class DeploymentManifestsTest {
    private static final Path DEPLOY = Path.of(System.getProperty("hallpass.root", ".."))
            .resolve("bot/deploy")
            .toAbsolutePath()
            .normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The variables serve's options can be set by, plus the secrets its *-env options name by default. */
    private static Set<String> servesVariables() {
        CommandLine serve = new CommandLine(new ServeCommand());
        Set<String> names = new HashSet<>(dev.hallpass.observe.LogConfigurator.VARIABLES);
        for (OptionSpec o : serve.getCommandSpec().options()) {
            names.add(EnvDefaults.variable(o));
            if (o.longestName().endsWith("-env") && o.defaultValue() != null) {
                names.add(o.defaultValue());
            }
        }
        return names;
    }

    private static JsonNode read(String file) throws IOException {
        return YAML.readTree(DEPLOY.resolve("kubernetes").resolve(file).toFile());
    }

    @Test
    void configMap_whenItSetsAVariable_serveHasThatOption() throws IOException {
        Set<String> known = servesVariables();
        Iterator<String> keys = read("configmap.yaml").path("data").fieldNames();
        int n = 0;
        while (keys.hasNext()) {
            String key = keys.next();
            assertTrue(known.contains(key), key + " is not an option of serve; serve has " + known);
            n++;
        }
        assertTrue(n >= 5, "the ConfigMap configures serve");
    }

    @Test
    void deployment_whenItReadsASecret_serveOrTheTemplateUsesIt() throws IOException {
        Set<String> known = servesVariables();
        String template = Files.readString(
                Path.of(System.getProperty("hallpass.root", "..")).resolve("access-repo-template/hallpass.yaml"));
        for (JsonNode c : read("deployment.yaml").at("/spec/template/spec/containers")) {
            for (JsonNode env : c.path("env")) {
                String name = env.path("name").asText();
                // Target credentials are named by hallpass.yaml's *_env settings, not by serve's options.
                assertTrue(
                        known.contains(name) || template.contains(name),
                        name + " is read by neither serve nor the template's hallpass.yaml");
            }
        }
    }

    @Test
    void deployment_whenTheAppKeyIsAFile_itIsMountedWhereTheConfigMapSays() throws IOException {
        String keyFile = read("configmap.yaml")
                .path("data")
                .path("HALLPASS_APP_KEY_FILE")
                .asText();
        JsonNode container = read("deployment.yaml").at("/spec/template/spec/containers/0");
        boolean mounted = false;
        for (JsonNode m : container.path("volumeMounts")) {
            mounted |= keyFile.startsWith(m.path("mountPath").asText() + "/");
        }
        assertTrue(mounted, keyFile + " is not under any volume mount");
        assertEquals("serve", container.path("args").path(0).asText());
    }

    @Test
    void dockerfile_whenItSetsAVariable_serveHasThatOption() throws IOException {
        Set<String> known = servesVariables();
        for (String line : Files.readAllLines(DEPLOY.resolve("Dockerfile"))) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("(HALLPASS_[A-Z_]+)=").matcher(line);
            while (m.find()) {
                assertTrue(known.contains(m.group(1)), m.group(1) + " is not an option of serve");
            }
        }
    }
}
