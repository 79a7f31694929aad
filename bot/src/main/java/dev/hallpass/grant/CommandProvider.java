package dev.hallpass.grant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a configured command (no shell) to apply, revoke or verify a grant. The grant arrives as JSON on
 * stdin and in {@code HALLPASS_*} environment variables; exit status 0 is success; for verify, stdout says
 * {@code present} or {@code absent}. A command that outlives its timeout is killed with its whole process
 * tree. Output is kept, bounded, for the audit.
 *
 * <p>The child does not inherit Hallpass's environment, which holds Hallpass's own secrets: it gets only
 * the variables named in {@code passEnv}, the configured {@code env}, and the {@code HALLPASS_*} ones.
 */
public final class CommandProvider implements Provider {
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** Variables a command is given from Hallpass's environment when configured with none. */
    public static final List<String> DEFAULT_PASS_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");

    /**
     * @param command the program and its arguments; a relative program path with a slash is resolved
     *     against {@code workingDir}
     * @param workingDir where the command runs (the access repository checkout, usually)
     * @param env variables set for the command, from the configuration (never secrets)
     * @param inherited variables taken from Hallpass's environment by name ({@code pass_env})
     */
    public record Config(
            List<String> command,
            Duration timeout,
            Path workingDir,
            Map<String, String> env,
            Map<String, String> inherited) {
        public Config {
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("command must not be empty");
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            Objects.requireNonNull(workingDir, "workingDir");
            env = Map.copyOf(env);
            inherited = Map.copyOf(inherited);
        }
    }

    /** What one run of the command gave. */
    public record Run(int exitCode, boolean timedOut, String stdout, String stderr) {}

    private final ProviderName name;
    private final Config config;

    public CommandProvider(ProviderName name, Config config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public ProviderName name() {
        return name;
    }

    @Override
    public Outcome apply(Grant grant, boolean dryRun) {
        return change(Action.APPLY, grant, dryRun);
    }

    @Override
    public Outcome revoke(Grant grant, boolean dryRun) {
        return change(Action.REVOKE, grant, dryRun);
    }

    private Outcome change(Action action, Grant grant, boolean dryRun) {
        if (dryRun) {
            // The command may not know a dry run; not running it is the only safe way to change nothing.
            return Outcome.dryRun(
                    action,
                    "would run " + config.command() + " with HALLPASS_ACTION=" + action.wire(),
                    grantJson(grant));
        }
        Run run;
        try {
            run = run(action, environment(action, grant), grantJson(grant));
        } catch (IOException e) {
            return Outcome.failed(action, "could not start " + config.command().get(0) + ": " + e.getMessage(), "");
        }
        String audit = audit(run);
        if (run.timedOut()) {
            return Outcome.failed(
                    action, action.wire() + " timed out after " + config.timeout() + " and was killed", audit);
        }
        if (run.exitCode() != 0) {
            return Outcome.failed(action, action.wire() + " exited with status " + run.exitCode(), audit);
        }
        return Outcome.done(action, action.wire() + " succeeded", audit);
    }

    @Override
    public Presence verify(Login person, String target) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HALLPASS_ACTION", Action.VERIFY.wire());
        env.put("HALLPASS_PERSON", person.value());
        env.put("HALLPASS_TARGET", target);
        ObjectNode json = GrantJson.MAPPER.createObjectNode();
        json.put("person", person.value());
        json.put("target", target);
        return verifyWith(env, json.toString());
    }

    @Override
    public Presence verify(Grant grant) {
        return verifyWith(environment(Action.VERIFY, grant), grantJson(grant));
    }

    private Presence verifyWith(Map<String, String> env, String stdin) {
        try {
            Run run = run(Action.VERIFY, env, stdin);
            if (run.timedOut() || run.exitCode() != 0) {
                return Presence.UNKNOWN;
            }
            String answer = run.stdout().strip();
            if (answer.equals("present")) {
                return Presence.PRESENT;
            }
            if (answer.equals("absent")) {
                return Presence.ABSENT;
            }
            return Presence.UNKNOWN;
        } catch (IOException e) {
            return Presence.UNKNOWN;
        }
    }

    private Map<String, String> environment(Action action, Grant grant) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HALLPASS_ACTION", action.wire());
        env.put("HALLPASS_REQUEST_ID", grant.requestId().value());
        env.put("HALLPASS_PERSON", grant.person().value());
        env.put("HALLPASS_ROLE", grant.role().value());
        env.put("HALLPASS_ENVIRONMENT", grant.environment().value());
        env.put("HALLPASS_TARGET", grant.target());
        env.put("HALLPASS_EXPIRES_AT", grant.expiresAt().toString());
        return env;
    }

    static String grantJson(Grant g) {
        return GrantJson.toJson(g).toString();
    }

    /** Runs the command once, waiting at most the timeout. */
    Run run(Action action, Map<String, String> hallpassEnv, String stdin) throws IOException {
        List<String> cmd = new ArrayList<>(config.command());
        String program = cmd.get(0);
        if (program.contains("/") && !Path.of(program).isAbsolute()) {
            cmd.set(0, config.workingDir().resolve(program).normalize().toString());
        }
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(config.workingDir().toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(config.inherited());
        env.putAll(config.env());
        // Set last so configuration cannot spoof what the grant says.
        env.putAll(hallpassEnv);
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The command may exit without reading stdin; that is its business.
        }
        boolean finished;
        try {
            finished = p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + program, e);
        }
        if (!finished) {
            killTree(p);
        }
        String stdout = text(out);
        String stderr = text(err);
        return new Run(finished ? p.exitValue() : -1, !finished, stdout, stderr);
    }

    /** Kills descendants first: once the parent dies they are re-parented and can no longer be found. */
    private static void killTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>();
        p.descendants().forEach(tree::add);
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
            // Orphans are reaped by whoever adopts them, which may be slow; a short wait is enough to report.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (ProcessHandle h : tree) {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Reported by the caller as a timeout either way.
        }
    }

    /** Reads a stream to its end, keeping at most {@link #MAX_OUTPUT_BYTES} so a chatty command cannot stall. */
    private static CompletableFuture<byte[]> drain(InputStream s) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    ByteArrayOutputStream kept = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    long total = 0;
                    try (s) {
                        int n;
                        while ((n = s.read(buf)) >= 0) {
                            int room = (int) Math.max(0, Math.min(n, MAX_OUTPUT_BYTES - total));
                            kept.write(buf, 0, room);
                            total += n;
                        }
                    } catch (IOException e) {
                        // The stream closes when the process is killed; keep what was read.
                    }
                    if (total > MAX_OUTPUT_BYTES) {
                        byte[] note = ("\n[... " + (total - MAX_OUTPUT_BYTES) + " more bytes not kept]")
                                .getBytes(StandardCharsets.UTF_8);
                        kept.write(note, 0, note.length);
                    }
                    f.complete(kept.toByteArray());
                },
                "hallpass-command-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String text(CompletableFuture<byte[]> f) {
        try {
            return new String(f.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            return "[output unavailable]";
        }
    }

    private static String audit(Run run) {
        StringBuilder sb = new StringBuilder();
        if (!run.stdout().isEmpty()) {
            sb.append("stdout:\n").append(run.stdout());
        }
        if (!run.stderr().isEmpty()) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                sb.append('\n');
            }
            sb.append("stderr:\n").append(run.stderr());
        }
        return sb.toString();
    }
}
