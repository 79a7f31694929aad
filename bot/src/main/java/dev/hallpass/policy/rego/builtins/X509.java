package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * crypto.x509.* with the JDK's certificate factory. Certificates are given as PEM, base64 DER, or base64
 * of PEM, as OPA takes them; each parses to an object with the fields of Go's {@code x509.Certificate}
 * that policies read (Subject, Issuer, NotBefore, NotAfter, DNSNames, IsCA, ...).
 */
final class X509 {
    private X509() {}

    static void register(Reg r) {
        r.fn("crypto.x509.parse_certificates", 1, (ctx, a) -> {
            String name = "crypto.x509.parse_certificates";
            List<Value> out = new ArrayList<>();
            for (X509Certificate c : certificates(name, str(name, a, 0))) {
                out.add(describe(c));
            }
            return Value.array(out);
        });
        r.fn("crypto.x509.parse_and_verify_certificates", 1, (ctx, a) -> {
            String name = "crypto.x509.parse_and_verify_certificates";
            List<X509Certificate> certs = certificates(name, str(name, a, 0));
            Value invalid = Value.array(Value.FALSE, Value.array());
            if (certs.size() < 2 || !verifies(certs)) {
                return invalid;
            }
            List<Value> out = new ArrayList<>();
            for (int i = certs.size() - 1; i >= 0; i--) {
                out.add(describe(certs.get(i)));
            }
            return Value.array(Value.TRUE, Value.array(out));
        });
        r.fn("crypto.x509.parse_rsa_private_key", 1, (ctx, a) -> {
            String name = "crypto.x509.parse_rsa_private_key";
            return rsaJwk(name, str(name, a, 0));
        });
    }

    /** The first certificate is the root, the last the leaf, the others intermediates (OPA's order). */
    private static boolean verifies(List<X509Certificate> certs) {
        try {
            List<X509Certificate> path = new ArrayList<>(certs.subList(1, certs.size()));
            java.util.Collections.reverse(path);
            PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(certs.get(0), null)));
            p.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), p);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static List<X509Certificate> certificates(String name, String text) {
        String t = text.strip();
        byte[] bytes;
        if (t.startsWith("-----BEGIN")) {
            bytes = t.getBytes(StandardCharsets.US_ASCII);
        } else {
            try {
                bytes = Base64.getMimeDecoder().decode(t);
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error(name, "input is neither PEM nor base64: " + e.getMessage());
            }
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            Collection<? extends java.security.cert.Certificate> cs =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            for (java.security.cert.Certificate c : cs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw BuiltinException.error(name, "no certificates found");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error(name, "cannot parse certificates: " + e.getMessage());
        }
    }

    private static Value describe(X509Certificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Version", c.getVersion());
        m.put("SerialNumber", c.getSerialNumber());
        m.put("Subject", name(c.getSubjectX500Principal().getName()));
        m.put("Issuer", name(c.getIssuerX500Principal().getName()));
        DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        m.put("NotBefore", c.getNotBefore().toInstant().atOffset(ZoneOffset.UTC).format(f));
        m.put("NotAfter", c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).format(f));
        int basic = c.getBasicConstraints();
        m.put("IsCA", basic >= 0);
        m.put("BasicConstraintsValid", c.getExtensionValue("2.5.29.19") != null);
        m.put("MaxPathLen", basic == Integer.MAX_VALUE ? -1 : basic);
        m.put("KeyUsage", keyUsage(c.getKeyUsage()));
        List<String> dns = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    String v = String.valueOf(san.get(1));
                    switch (type) {
                        case 1 -> emails.add(v);
                        case 2 -> dns.add(v);
                        case 6 -> uris.add(v);
                        case 7 -> ips.add(v);
                        default -> {}
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            // an unparsable SAN extension leaves the lists empty
        }
        m.put("DNSNames", dns.isEmpty() ? null : dns);
        m.put("EmailAddresses", emails.isEmpty() ? null : emails);
        m.put("IPAddresses", ips.isEmpty() ? null : ips);
        m.put("URIStrings", uris.isEmpty() ? null : uris);
        String keyAlg = c.getPublicKey().getAlgorithm();
        m.put(
                "PublicKeyAlgorithm",
                switch (keyAlg) {
                    case "RSA" -> 1;
                    case "DSA" -> 2;
                    case "EC" -> 3;
                    case "Ed25519", "EdDSA" -> 4;
                    default -> 0;
                });
        if (c.getPublicKey() instanceof RSAPublicKey rk) {
            m.put("PublicKey", Map.of("N", rk.getModulus(), "E", rk.getPublicExponent()));
        } else if (c.getPublicKey() instanceof ECPublicKey ek) {
            m.put(
                    "PublicKey",
                    Map.of("X", ek.getW().getAffineX(), "Y", ek.getW().getAffineY()));
        }
        m.put("SignatureAlgorithmName", c.getSigAlgName());
        try {
            m.put("Raw", Base64.getEncoder().encodeToString(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            // not reachable for a certificate the factory produced
        }
        return Value.fromJava(m);
    }

    private static int keyUsage(boolean[] ku) {
        int bits = 0;
        if (ku != null) {
            for (int i = 0; i < ku.length && i < 9; i++) {
                if (ku[i]) {
                    bits |= 1 << i;
                }
            }
        }
        return bits;
    }

    /** Go's pkix.Name fields, from an RFC 2253 name. */
    private static Map<String, Object> name(String rfc2253) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, String> fields = Map.of(
                "C", "Country",
                "O", "Organization",
                "OU", "OrganizationalUnit",
                "L", "Locality",
                "ST", "Province",
                "STREET", "StreetAddress",
                "2.5.4.17", "PostalCode");
        out.put("CommonName", "");
        try {
            List<Rdn> rdns = new ArrayList<>(new LdapName(rfc2253).getRdns());
            for (Rdn rdn : rdns) {
                String type = rdn.getType().toUpperCase();
                String value = String.valueOf(rdn.getValue());
                if (type.equals("CN")) {
                    out.put("CommonName", value);
                } else if (type.equals("2.5.4.5")) {
                    out.put("SerialNumber", value);
                } else if (fields.containsKey(type)) {
                    @SuppressWarnings("unchecked")
                    List<String> l = (List<String>) out.computeIfAbsent(fields.get(type), k -> new ArrayList<String>());
                    l.add(value);
                }
            }
        } catch (InvalidNameException e) {
            // keep what was read
        }
        return out;
    }

    /** A PKCS#1 or PKCS#8 RSA private key in PEM, as a JWK. */
    private static Value rsaJwk(String name, String pem) {
        try {
            byte[] pkcs8;
            if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
                byte[] pkcs1 = Jwt.Pem.der(pem, "RSA PRIVATE KEY");
                byte[] algId = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
                byte[] version = {2, 1, 0};
                pkcs8 = der(0x30, concat(version, algId, der(0x04, pkcs1)));
            } else {
                pkcs8 = Jwt.Pem.der(pem, "PRIVATE KEY");
            }
            RSAPrivateCrtKey k =
                    (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("n", b64(k.getModulus()));
            jwk.put("e", b64(k.getPublicExponent()));
            jwk.put("d", b64(k.getPrivateExponent()));
            jwk.put("p", b64(k.getPrimeP()));
            jwk.put("q", b64(k.getPrimeQ()));
            jwk.put("dp", b64(k.getPrimeExponentP()));
            jwk.put("dq", b64(k.getPrimeExponentQ()));
            jwk.put("qi", b64(k.getCrtCoefficient()));
            return Value.fromJava(jwk);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw BuiltinException.error(name, "cannot parse the RSA private key: " + e.getMessage());
        }
    }

    private static String b64(BigInteger b) {
        byte[] x = b.toByteArray();
        if (x.length > 1 && x[0] == 0) {
            x = java.util.Arrays.copyOfRange(x, 1, x.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(x);
    }

    private static byte[] der(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = body.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.write(body, 0, n);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }
}
