package dev.hallpass.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Optional SSH signatures on the commits Hallpass creates locally (attestations, and reverts when it
 * commits them itself), in git's own format: a {@code gpgsig} header holding an {@code -----BEGIN SSH
 * SIGNATURE-----} block (OpenSSH's {@code PROTOCOL.sshsig}, namespace {@code git}, SHA-512), which {@code git
 * verify-commit} with {@code gpg.format=ssh} and an allowed-signers file also accepts.
 *
 * <p>Why this and not JGit: JGit 7.7's core has only the {@code Signer}/{@code SignatureVerifier} hooks;
 * its SSH signer lives in {@code org.eclipse.jgit.ssh.apache} (Apache MINA sshd) and GPG in {@code
 * org.eclipse.jgit.gpg.bc} (BouncyCastle), neither of which Hallpass depends on. Ed25519 needs only the
 * JDK's EdDSA, so signing and verifying are done here.
 *
 * <p>Supported: Ed25519 keys only; private keys in unencrypted OpenSSH format ({@code -----BEGIN OPENSSH
 * PRIVATE KEY-----}); allowed signers as {@code principal ssh-ed25519 AAAA... [comment]} lines (options
 * such as {@code namespaces="git"} are skipped, {@code valid-after}/{@code valid-before} are not honoured).
 * Not supported: RSA and ECDSA keys, encrypted keys, ssh-agent, certificates, GPG/X.509 signatures. Commits
 * merged by GitHub carry GitHub's own GPG signature, which is not verified here: the audit only checks
 * that a signature Hallpass is expected to have made is present and valid.
 */
public final class CommitSigning {
    static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    static final String NAMESPACE = "git";
    static final String HASH = "sha512";
    static final String KEY_TYPE = "ssh-ed25519";
    static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    static final String END = "-----END SSH SIGNATURE-----";
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private CommitSigning() {}

    /** An Ed25519 signing key and its public half in SSH wire format. */
    public static final class SigningKey {
        private final PrivateKey key;
        private final byte[] publicRaw;

        private SigningKey(PrivateKey key, byte[] publicRaw) {
            this.key = key;
            this.publicRaw = publicRaw.clone();
        }

        /** From a 32-byte Ed25519 seed and its 32-byte public key. */
        public static SigningKey fromRaw(byte[] seed, byte[] publicKey) {
            try {
                PrivateKey k = KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
                return new SigningKey(k, publicKey);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 key: " + e.getMessage(), e);
            }
        }

        /** Reads an unencrypted OpenSSH Ed25519 private key file. */
        public static SigningKey read(Path file) throws IOException {
            return parseOpenSsh(Files.readString(file, StandardCharsets.US_ASCII));
        }

        /** The {@code ssh-ed25519 AAAA...} line for an allowed-signers or authorized_keys file. */
        public String publicKeyLine() {
            return KEY_TYPE + " " + Base64.getEncoder().encodeToString(publicBlob(publicRaw));
        }

        /** The armored SSH signature of {@code payload} in the {@code git} namespace. */
        public String sign(byte[] payload) {
            try {
                byte[] toSign = signedData(payload);
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(toSign);
                byte[] sig = s.sign();
                Wire w = new Wire();
                w.raw(MAGIC);
                w.u32(1);
                w.string(publicBlob(publicRaw));
                w.string(NAMESPACE.getBytes(StandardCharsets.US_ASCII));
                w.string(new byte[0]);
                w.string(HASH.getBytes(StandardCharsets.US_ASCII));
                Wire sw = new Wire();
                sw.string(KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
                sw.string(sig);
                w.string(sw.bytes());
                String b64 = Base64.getEncoder().encodeToString(w.bytes());
                StringBuilder sb = new StringBuilder(BEGIN).append('\n');
                for (int i = 0; i < b64.length(); i += 70) {
                    sb.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
                }
                return sb.append(END).toString();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed", e);
            }
        }
    }

    static SigningKey parseOpenSsh(String text) {
        String b64 = text.replace("-----BEGIN OPENSSH PRIVATE KEY-----", "")
                .replace("-----END OPENSSH PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(b64));
        byte[] magic = new byte[15];
        in.get(magic);
        if (!Arrays.equals(magic, "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("not an OpenSSH private key");
        }
        String cipher = str(in);
        String kdf = str(in);
        bytes(in);
        if (!cipher.equals("none") || !kdf.equals("none")) {
            throw new IllegalArgumentException("encrypted private keys are not supported; use an unencrypted key");
        }
        if (in.getInt() != 1) {
            throw new IllegalArgumentException("exactly one key expected in the key file");
        }
        bytes(in);
        ByteBuffer priv = ByteBuffer.wrap(bytes(in));
        if (priv.getInt() != priv.getInt()) {
            throw new IllegalArgumentException("corrupt private key (check bytes differ)");
        }
        String type = str(priv);
        if (!type.equals(KEY_TYPE)) {
            throw new IllegalArgumentException("only ssh-ed25519 keys are supported, got " + type);
        }
        byte[] pub = bytes(priv);
        byte[] secret = bytes(priv);
        return SigningKey.fromRaw(Arrays.copyOf(secret, 32), pub);
    }

    /** The public keys allowed to sign, by principal. */
    public static final class AllowedSigners {
        private final Map<String, String> principalByKey;

        private AllowedSigners(Map<String, String> principalByKey) {
            this.principalByKey = Map.copyOf(principalByKey);
        }

        /** Lines {@code principal[,principal] [options] ssh-ed25519 BASE64 [comment]}; {@code #} comments. */
        public static AllowedSigners parse(String text) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+");
                for (int i = 1; i + 1 < parts.length; i++) {
                    if (parts[i].equals(KEY_TYPE)) {
                        m.put(parts[i + 1], parts[0]);
                        break;
                    }
                }
            }
            return new AllowedSigners(m);
        }

        public static AllowedSigners read(Path file) throws IOException {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        }

        Optional<String> principal(byte[] publicBlob) {
            return Optional.ofNullable(principalByKey.get(Base64.getEncoder().encodeToString(publicBlob)));
        }
    }

    /** The outcome of checking one signature. */
    public record Verification(boolean valid, String signer, String problem) {}

    /** Verifies an armored SSH signature over {@code payload} against {@code allowed}. */
    public static Verification verify(String armored, byte[] payload, AllowedSigners allowed) {
        try {
            String t = armored.strip();
            if (!t.startsWith(BEGIN) || !t.endsWith(END)) {
                return new Verification(false, "", "not an SSH signature");
            }
            byte[] blob = Base64.getDecoder()
                    .decode(t.substring(BEGIN.length(), t.length() - END.length())
                            .replaceAll("\\s", ""));
            ByteBuffer in = ByteBuffer.wrap(blob);
            byte[] magic = new byte[6];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC) || in.getInt() != 1) {
                return new Verification(false, "", "not an sshsig version 1 blob");
            }
            byte[] pubBlob = bytes(in);
            String ns = str(in);
            bytes(in);
            String hash = str(in);
            ByteBuffer sigBlob = ByteBuffer.wrap(bytes(in));
            if (!NAMESPACE.equals(ns)) {
                return new Verification(false, "", "signature namespace is '" + ns + "', not 'git'");
            }
            if (!HASH.equals(hash)) {
                return new Verification(false, "", "hash " + hash + " is not supported (only sha512)");
            }
            ByteBuffer pk = ByteBuffer.wrap(pubBlob);
            if (!KEY_TYPE.equals(str(pk)) || !KEY_TYPE.equals(str(sigBlob))) {
                return new Verification(false, "", "only ssh-ed25519 signatures are supported");
            }
            byte[] rawPub = bytes(pk);
            byte[] sig = bytes(sigBlob);
            Optional<String> principal = allowed.principal(pubBlob);
            if (principal.isEmpty()) {
                return new Verification(false, "", "signing key is not in the allowed signers");
            }
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, rawPub)));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signedData(payload));
            return s.verify(sig)
                    ? new Verification(true, principal.get(), "")
                    : new Verification(false, principal.get(), "signature does not match the commit");
        } catch (RuntimeException | GeneralSecurityException e) {
            return new Verification(false, "", "malformed SSH signature: " + e.getMessage());
        }
    }

    /** A commit's signature and the bytes it signs (the raw commit without its {@code gpgsig} header). */
    public record Signed(String signature, byte[] payload) {}

    /** Splits a raw commit into its {@code gpgsig} signature and the signed payload; empty if unsigned. */
    public static Optional<Signed> split(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1); // byte-preserving
        int headerEnd = text.indexOf("\n\n");
        String header = headerEnd < 0 ? text : text.substring(0, headerEnd + 1);
        StringBuilder payload = new StringBuilder();
        StringBuilder sig = null;
        boolean inSig = false;
        for (String line : header.split("\n")) {
            if (line.startsWith("gpgsig ")) {
                sig = new StringBuilder(line.substring(7));
                inSig = true;
            } else if (inSig && line.startsWith(" ")) {
                sig.append('\n').append(line.substring(1));
            } else {
                inSig = false;
                payload.append(line).append('\n');
            }
        }
        if (sig == null) {
            return Optional.empty();
        }
        if (headerEnd >= 0) {
            payload.append(text.substring(headerEnd + 1));
        }
        return Optional.of(new Signed(sig.toString(), payload.toString().getBytes(StandardCharsets.ISO_8859_1)));
    }

    /**
     * A {@link CommitVerifier} for the audit: every SSH-signed commit must verify against {@code allowed};
     * commits whose action is in {@code required} must be SSH-signed. PGP signatures (GitHub's) are skipped.
     */
    public static CommitVerifier verifier(AllowedSigners allowed, Set<AuditAction> required) {
        Set<AuditAction> req = required.isEmpty() ? EnumSet.noneOf(AuditAction.class) : EnumSet.copyOf(required);
        return (RevCommit c, Trailers t) -> {
            Optional<Signed> s = split(c.getRawBuffer());
            boolean ssh = s.isPresent() && s.get().signature().startsWith(BEGIN);
            if (ssh) {
                Verification v = verify(s.get().signature(), s.get().payload(), allowed);
                if (!v.valid()) {
                    return Optional.of(
                            Finding.integrity(Finding.BAD_SIGNATURE, c.name(), "bad signature: " + v.problem()));
                }
                return Optional.empty();
            }
            if (t.action().filter(req::contains).isPresent()) {
                return Optional.of(Finding.integrity(
                        Finding.UNSIGNED, c.name(), t.action().get() + " commit is not signed by Hallpass"));
            }
            return Optional.empty();
        };
    }

    /** The actions of commits Hallpass creates itself, signed when signing is on. */
    public static final Set<AuditAction> LOCAL_ACTIONS = EnumSet.of(AuditAction.ATTEST, AuditAction.REJECT);

    static byte[] signedData(byte[] payload) throws GeneralSecurityException {
        Wire w = new Wire();
        w.raw(MAGIC);
        w.string(NAMESPACE.getBytes(StandardCharsets.US_ASCII));
        w.string(new byte[0]);
        w.string(HASH.getBytes(StandardCharsets.US_ASCII));
        w.string(MessageDigest.getInstance("SHA-512").digest(payload));
        return w.bytes();
    }

    static byte[] publicBlob(byte[] raw) {
        Wire w = new Wire();
        w.string(KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
        w.string(raw);
        return w.bytes();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("length " + n + " runs past the end");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static String str(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.US_ASCII);
    }

    /** SSH wire encoding: uint32 big-endian lengths before byte strings. */
    private static final class Wire {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void raw(byte[] b) {
            out.writeBytes(b);
        }

        void u32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
        }

        void string(byte[] b) {
            u32(b.length);
            raw(b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
